#pragma once
// What examples/word_embeddings.cpp needs besides the training loop:
// skip-gram pairs with negative samples, as word2vec draws them (Mikolov et
// al. 2013, "Distributed Representations of Words and Phrases and their
// Compositionality": frequent words subsampled, negatives from the unigram
// distribution to the power 3/4), cosine neighbours and a picture of the
// words on the top two principal axes of their vectors.
#include <algorithm>
#include <cmath>
#include <string>
#include <vector>

#include <xgrad/plot/plot.hpp>
#include <xgrad/xgrad.hpp>
#include <xtensor-blas/xlinalg.hpp>
#include <xtensor/xview.hpp>

namespace xg::examples {

// The texts as sentences of word indices over a vocabulary of the words seen
// min_count times. ASCII words only: a few sentences hold stray C1 bytes.
struct Corpus {
  datasets::Vocabulary vocabulary;
  std::vector<std::vector<std::size_t>> sentences;
};

inline Corpus index_words(const std::vector<std::string>& texts, std::size_t min_count) {
  std::vector<std::vector<std::string>> documents;
  for (const auto& text : texts) {
    auto& words = documents.emplace_back(datasets::tokenize(text));
    std::erase_if(words,
                  [](const std::string& w) { return std::any_of(w.begin(), w.end(), [](char c) { return c < 0; }); });
  }
  Corpus corpus{datasets::Vocabulary(documents, {.min_count = min_count}), {}};
  for (const auto& words : documents) {
    auto& sentence = corpus.sentences.emplace_back();
    for (const auto& word : words) sentence.push_back(corpus.vocabulary.index(word));
  }
  return corpus;
}

struct SkipGramBatch {
  std::vector<std::size_t> centers, targets;  // each center once per target
  std::vector<std::size_t> labels;            // 1: a context word, 0: a negative sample
};

class SkipGramSampler {
 public:
  // sentences: word indices, 0 (unknown) left out of every pair.
  SkipGramSampler(std::vector<std::vector<std::size_t>> sentences, std::size_t vocabulary, std::size_t window,
                  std::size_t negatives)
      : sentences_(std::move(sentences)), window_(window), negatives_(negatives), count_(vocabulary, 0.0) {
    for (const auto& s : sentences_)
      for (std::size_t w : s) count_[w] += 1;
    count_[0] = 0;
    double total = 0, noise = 0;
    for (double c : count_) total += c;
    for (double c : count_) noise_cdf_.push_back(noise += std::pow(c, 0.75));
    for (double& c : noise_cdf_) c /= noise;
    for (double& c : count_) c /= total;  // now the frequency
  }

  // One epoch's (center, context) pairs in a random order: frequent words
  // kept with probability sqrt(t / f) (t = 1e-3 for a corpus this small).
  std::vector<std::pair<std::size_t, std::size_t>> epoch_pairs(Generator& gen) const {
    std::vector<std::pair<std::size_t, std::size_t>> pairs;
    for (const auto& s : sentences_) {
      std::vector<std::size_t> kept;
      for (std::size_t w : s)
        if (w != 0 && gen.uniform() < std::sqrt(1e-3 / count_[w])) kept.push_back(w);
      for (std::size_t i = 0; i < kept.size(); ++i)
        for (std::size_t j = i > window_ ? i - window_ : 0; j < std::min(kept.size(), i + window_ + 1); ++j)
          if (j != i) pairs.emplace_back(kept[i], kept[j]);
    }
    for (std::size_t i = pairs.size(); i > 1; --i) std::swap(pairs[i - 1], pairs[gen.randint(i)]);
    return pairs;
  }

  // Pairs [first, last) with `negatives` noise words drawn for each.
  SkipGramBatch batch(const std::vector<std::pair<std::size_t, std::size_t>>& pairs, std::size_t first,
                      std::size_t last, Generator& gen) const {
    SkipGramBatch b;
    for (std::size_t p = first; p < last; ++p) {
      b.centers.push_back(pairs[p].first), b.targets.push_back(pairs[p].second), b.labels.push_back(1);
      for (std::size_t k = 0; k < negatives_; ++k) {
        const auto at = std::upper_bound(noise_cdf_.begin(), noise_cdf_.end(), gen.uniform());
        b.centers.push_back(pairs[p].first), b.labels.push_back(0);
        b.targets.push_back(std::min<std::size_t>(at - noise_cdf_.begin(), noise_cdf_.size() - 1));
      }
    }
    return b;
  }

 private:
  std::vector<std::vector<std::size_t>> sentences_;
  std::size_t window_, negatives_;
  std::vector<double> count_, noise_cdf_;
};

// The `k` rows of `vectors` of largest cosine with row `word`, itself and
// row 0 (unknown) left out.
inline std::vector<std::size_t> nearest(const Array<float>& vectors, std::size_t word, std::size_t k) {
  const Array<float> norms = xt::sqrt(xt::sum(vectors * vectors, {1})) + 1e-8f;
  const Array<float> cosine = xt::linalg::dot(vectors, xt::view(vectors, word)) / (norms * norms(word));
  std::vector<std::size_t> order;
  for (std::size_t i = 1; i < vectors.shape()[0]; ++i)
    if (i != word) order.push_back(i);
  std::partial_sort(order.begin(), order.begin() + std::min(k, order.size()), order.end(),
                    [&](auto a, auto b) { return cosine(a) > cosine(b); });
  order.resize(std::min(k, order.size()));
  return order;
}

// The rows projected on the top two principal axes: the eigenvectors of
// their covariance of largest eigenvalue (LAPACK's syevd through xtensor-blas).
inline Array<double> pca_2d(const Array<double>& rows) {
  const Array<double> centred = rows - xt::mean(rows, {0});
  const Array<double> centred_t = xt::transpose(centred);
  const Array<double> covariance = xt::linalg::dot(centred_t, centred);
  const auto [eigenvalues, eigenvectors] = xt::linalg::eigh(covariance);  // ascending
  const std::size_t d = covariance.shape()[0];
  auto top = Array<double>::from_shape({d, 2});
  for (std::size_t k = 0; k < d; ++k) top(k, 0) = eigenvectors(k, d - 1), top(k, 1) = eigenvectors(k, d - 2);
  return xt::linalg::dot(centred, top);
}

// The `count` most frequent words (indices 1 to count) as labelled points on
// the top two principal axes of their vectors, written to `path` as SVG.
inline void draw_words(const std::string& path, const Array<float>& vectors, const datasets::Vocabulary& vocabulary,
                       std::size_t count) {
  const Array<double> xy = pca_2d(xt::cast<double>(xt::view(vectors, xt::range(1, count + 1))));
  std::vector<plot::LabelledPoint> points;
  for (std::size_t i = 0; i < xy.shape()[0]; ++i) points.push_back({xy(i, 0), xy(i, 1), vocabulary.word(i + 1)});
  plot::write_file(path, plot::scatter_svg(points, {.title = "word_embeddings: the " + std::to_string(count) +
                                                             " most frequent words, first two principal axes",
                                                    .x_label = "first principal axis",
                                                    .y_label = "second principal axis"}));
}

}  // namespace xg::examples
