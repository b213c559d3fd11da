#include <xgrad/datasets/split.hpp>

#include <algorithm>
#include <cmath>
#include <numeric>

#include <xgrad/core/error.hpp>
#include <xgrad/core/generator.hpp>
#include <xgrad/datasets/shuffle.hpp>

namespace xg::datasets {

namespace {

std::size_t test_count(std::size_t n, double test_fraction) {
  return static_cast<std::size_t>(std::round(static_cast<double>(n) * test_fraction));
}

// Moves the first `count` of `shuffled` to the test part, the rest to train.
void deal(std::span<std::size_t> shuffled, std::size_t count, SplitIndices& out) {
  out.test.insert(out.test.end(), shuffled.begin(), shuffled.begin() + count);
  out.train.insert(out.train.end(), shuffled.begin() + count, shuffled.end());
}

}  // namespace

SplitIndices split_indices(const std::vector<std::size_t>& labels, double test_fraction, std::uint64_t seed,
                           bool stratify) {
  if (!(test_fraction >= 0.0 && test_fraction <= 1.0))
    throw_invalid_argument("split_indices", "test_fraction must be in [0, 1], got " + std::to_string(test_fraction));
  const std::size_t n = labels.size();
  Generator generator(seed);
  std::vector<std::size_t> order(n);
  std::iota(order.begin(), order.end(), std::size_t{0});
  SplitIndices out;
  out.train.reserve(n);
  out.test.reserve(n);
  if (!stratify) {
    shuffle(order, generator);
    deal(order, test_count(n, test_fraction), out);
  } else {
    std::stable_sort(order.begin(), order.end(), [&](std::size_t a, std::size_t b) { return labels[a] < labels[b]; });
    for (std::size_t begin = 0; begin < n;) {
      std::size_t end = begin;
      while (end < n && labels[order[end]] == labels[order[begin]]) ++end;
      const std::span<std::size_t> members(order.data() + begin, end - begin);
      shuffle(members, generator);
      deal(members, test_count(members.size(), test_fraction), out);
      begin = end;
    }
  }
  std::sort(out.train.begin(), out.train.end());
  std::sort(out.test.begin(), out.test.end());
  return out;
}

TrainTestSplit<Dataset> train_test_split(const Dataset& dataset, double test_fraction, std::uint64_t seed,
                                         bool stratify) {
  const auto parts = split_indices(dataset.labels, test_fraction, seed, stratify);
  return {subset(dataset, parts.train), subset(dataset, parts.test)};
}

TrainTestSplit<TextDataset> train_test_split(const TextDataset& dataset, double test_fraction, std::uint64_t seed,
                                             bool stratify) {
  if (dataset.labels.size() != dataset.texts.size())
    throw_shape_error("train_test_split", std::to_string(dataset.texts.size()) + " texts with " +
                                              std::to_string(dataset.labels.size()) + " labels");
  const auto parts = split_indices(dataset.labels, test_fraction, seed, stratify);
  return {subset(dataset, parts.train), subset(dataset, parts.test)};
}

}  // namespace xg::datasets
