#include "bag_of_words.hpp"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <numeric>
#include <vector>

namespace xg::examples {

namespace {

// The EmbeddingBag's own draws, made before they are overwritten, come from
// here and leave the default generator alone.
Generator& overwritten_draws() {
  static Generator generator;
  return generator;
}

}  // namespace

SparseLinear::SparseLinear(std::size_t in, std::size_t out)
    : bag(in, out, {.mode = nn::EmbeddingBagMode::sum}, overwritten_draws()), bias(zeros<float>({out}, true)) {
  const double bound = 1.0 / std::sqrt(static_cast<double>(in));
  nn::init::uniform_(bag.weight, -bound, bound);
  nn::init::uniform_(bias, -bound, bound);
}

double evaluate_accuracy(SparseLinear& model, const CsrMatrix<float>& features, std::span<const std::size_t> labels) {
  no_grad guard;
  return nn::accuracy(model(features), labels);
}

void print_top_words(const WordWeights& words) {
  const Array<float>& w = words.weights;
  std::vector<std::size_t> order(w.shape()[0]);
  std::iota(order.begin(), order.end(), 0);
  std::sort(order.begin(), order.end(), [&](auto a, auto b) { return w(a, 1) - w(a, 0) > w(b, 1) - w(b, 0); });
  const std::size_t shown = std::min<std::size_t>(10, order.size());
  std::printf("most positive:");
  for (std::size_t i = 0; i < shown; ++i) std::printf(" %s", words.vocabulary.word(order[i]).c_str());
  std::printf("\nmost negative:");
  for (std::size_t i = 0; i < shown; ++i)
    std::printf(" %s", words.vocabulary.word(order[order.size() - 1 - i]).c_str());
  std::printf("\n");
}

TextSplit split_by_source(const datasets::TextDataset& data, const std::string& source) {
  std::vector<std::size_t> others, chosen;
  for (std::size_t i = 0; i < data.size(); ++i) (data.sources[i] == source ? chosen : others).push_back(i);
  return {datasets::subset(data, others), datasets::subset(data, chosen)};
}

}  // namespace xg::examples
