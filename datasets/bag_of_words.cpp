#include <xgrad/datasets/bag_of_words.hpp>

#include <algorithm>
#include <cmath>
#include <stdexcept>

#include <xgrad/datasets/tokenizer.hpp>

namespace xg::datasets {

namespace {

// The sorted vocabulary indices of a text's known words, repeats included,
// written into `indices` (reused between texts).
void known_word_indices(const Vocabulary& vocabulary, const std::string& text, std::vector<std::size_t>& indices) {
  indices.clear();
  for_each_token(text, [&](std::string_view token) {
    const std::size_t i = vocabulary.index(token);
    if (i != Vocabulary::unknown_index) indices.push_back(i);
  });
  std::sort(indices.begin(), indices.end());
}

}  // namespace

BagOfWords& BagOfWords::fit(const std::vector<std::string>& texts) {
  std::vector<std::vector<std::string>> documents;
  documents.reserve(texts.size());
  for (const auto& text : texts) documents.push_back(tokenize(text));
  Vocabulary vocabulary(documents, options_.vocabulary);

  std::vector<double> idf;
  if (options_.mode == BagOfWordsMode::TfIdf) {
    std::vector<std::size_t> document_frequency(vocabulary.size(), 0);
    std::vector<std::size_t> indices;
    for (const auto& text : texts) {
      known_word_indices(vocabulary, text, indices);
      const auto end = std::unique(indices.begin(), indices.end());
      for (auto it = indices.begin(); it != end; ++it) ++document_frequency[*it];
    }
    const double n = static_cast<double>(texts.size());
    idf.reserve(vocabulary.size());
    for (auto df : document_frequency) idf.push_back(std::log((1.0 + n) / (1.0 + static_cast<double>(df))) + 1.0);
  }
  vocabulary_ = std::move(vocabulary);
  idf_ = std::move(idf);
  fitted_ = true;
  return *this;
}

CsrMatrix<float> BagOfWords::transform_sparse(const std::vector<std::string>& texts) const {
  if (!fitted_) throw std::logic_error("BagOfWords::transform: called before fit");
  CsrMatrix<float> out;
  out.rows = texts.size();
  out.cols = vocabulary_.size();
  out.row_ptr.reserve(texts.size() + 1);
  std::vector<std::size_t> indices;
  std::vector<double> weights;
  for (const auto& text : texts) {
    known_word_indices(vocabulary_, text, indices);
    weights.clear();
    const std::size_t row_begin = out.col.size();
    for (std::size_t k = 0; k < indices.size();) {
      std::size_t end = k;
      while (end < indices.size() && indices[end] == indices[k]) ++end;
      const auto count = static_cast<double>(end - k);
      out.col.push_back(indices[k]);
      switch (options_.mode) {
        case BagOfWordsMode::Counts: weights.push_back(count); break;
        case BagOfWordsMode::Binary: weights.push_back(1.0); break;
        case BagOfWordsMode::TfIdf: weights.push_back(count * idf_[indices[k]]); break;
      }
      k = end;
    }
    double norm = 1.0;
    if (options_.mode == BagOfWordsMode::TfIdf) {
      double squares = 0.0;
      for (auto w : weights) squares += w * w;
      if (squares > 0.0) norm = std::sqrt(squares);
    }
    for (auto w : weights) out.val.push_back(static_cast<float>(w / norm));
    out.row_ptr.push_back(row_begin + weights.size());
  }
  return out;
}

Array<float> BagOfWords::transform(const std::vector<std::string>& texts) const {
  return to_dense(transform_sparse(texts));
}

Array<float> BagOfWords::fit_transform(const std::vector<std::string>& texts) { return fit(texts).transform(texts); }

}  // namespace xg::datasets
