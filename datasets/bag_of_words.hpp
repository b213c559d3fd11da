#pragma once
// Turns texts into fixed-length vectors of word weights over a vocabulary
// learnt from training texts (sklearn's CountVectorizer / TfidfVectorizer
// with their defaults). Texts are split by `tokenize`.
//
// Column i is the weight of vocabulary().word(i). Words outside the
// vocabulary are dropped, as sklearn does, so column 0 (the unknown token)
// is always zero: weighting unseen words would give the rarest, least
// trustworthy evidence the largest tf-idf weight.

#include <cstddef>
#include <string>
#include <vector>

#include <xgrad/core/array.hpp>
#include <xgrad/core/csr_matrix.hpp>
#include <xgrad/datasets/vocabulary.hpp>

namespace xg::datasets {

enum class BagOfWordsMode {
  Counts,  // occurrences of the word in the text
  Binary,  // 1 if the word occurs
  TfIdf,   // occurrences * idf, each row scaled to unit L2 norm
};

struct BagOfWordsOptions {
  BagOfWordsMode mode = BagOfWordsMode::Counts;
  VocabularyOptions vocabulary = {};
};

class BagOfWords {
 public:
  explicit BagOfWords(BagOfWordsOptions options = {}) : options_(std::move(options)) {}

  // Learns the vocabulary and, for tf-idf, the smoothed inverse document
  // frequency idf = ln((1 + n) / (1 + df)) + 1 of each word over the n texts.
  BagOfWords& fit(const std::vector<std::string>& texts);
  // (texts, vocabulary size). Throws std::logic_error before fit.
  Array<float> transform(const std::vector<std::string>& texts) const;
  // The same values, as one sparse row per text.
  CsrMatrix<float> transform_sparse(const std::vector<std::string>& texts) const;
  Array<float> fit_transform(const std::vector<std::string>& texts);

  bool fitted() const { return fitted_; }
  const Vocabulary& vocabulary() const { return vocabulary_; }
  // Per column; empty unless the mode is TfIdf.
  const std::vector<double>& idf() const { return idf_; }
  std::size_t num_features() const { return vocabulary_.size(); }
  const BagOfWordsOptions& options() const { return options_; }

 private:
  BagOfWordsOptions options_;
  Vocabulary vocabulary_;
  std::vector<double> idf_;
  bool fitted_ = false;
};

}  // namespace xg::datasets
