#include <xgrad/datasets/split.hpp>

#include <algorithm>
#include <cmath>
#include <numeric>
#include <string>

#include <xgrad/core/error.hpp>
#include <xgrad/core/generator.hpp>
#include <xgrad/datasets/shuffle.hpp>

namespace xg::datasets {

namespace {

void check_fraction(double test_fraction) {
  if (!(test_fraction >= 0.0 && test_fraction <= 1.0))
    throw_invalid_argument("split_indices", "test_fraction must be in [0, 1], got " + std::to_string(test_fraction));
}

// scikit-learn's test size, ceil(test_fraction * n) in the same double
// arithmetic (so 1797 * 0.2 = 359.40000000000003 gives 360).
std::size_t test_count(std::size_t n, double test_fraction, const std::string& what) {
  const auto count = static_cast<std::size_t>(std::ceil(test_fraction * static_cast<double>(n)));
  if (test_fraction > 0.0 && test_fraction < 1.0 && (count == 0 || count == n))
    throw_invalid_argument("train_test_split", what + " has " + std::to_string(n) + " rows: test_fraction " +
                                                   std::to_string(test_fraction) + " leaves the " +
                                                   (count == 0 ? "test" : "train") + " part empty");
  return count;
}

// Deals `draws` to classes of `counts` samples in proportion to their sizes:
// each gets the floor of its share, then the largest remainders one more
// (ties to the lower label), as scikit-learn's _approximate_mode.
std::vector<std::size_t> approximate_mode(const std::vector<std::size_t>& counts, std::size_t draws) {
  const std::size_t total = std::accumulate(counts.begin(), counts.end(), std::size_t{0});
  std::vector<std::size_t> out(counts.size());
  std::vector<double> remainder(counts.size());
  std::size_t dealt = 0;
  for (std::size_t c = 0; c < counts.size(); ++c) {
    const double share = static_cast<double>(counts[c]) * static_cast<double>(draws) / static_cast<double>(total);
    out[c] = static_cast<std::size_t>(std::floor(share));
    remainder[c] = share - std::floor(share);
    dealt += out[c];
  }
  std::vector<std::size_t> order(counts.size());
  std::iota(order.begin(), order.end(), std::size_t{0});
  std::stable_sort(order.begin(), order.end(),
                   [&](std::size_t a, std::size_t b) { return remainder[a] > remainder[b]; });
  for (std::size_t k = 0; dealt < draws && k < order.size(); ++k, ++dealt) ++out[order[k]];
  return out;
}

}  // namespace

SplitIndices split_indices(std::size_t n, double test_fraction, std::uint64_t seed) {
  check_fraction(test_fraction);
  Generator generator(seed);
  std::vector<std::size_t> order(n);
  std::iota(order.begin(), order.end(), std::size_t{0});
  shuffle(order, generator);
  const std::size_t count = test_count(n, test_fraction, "the data set");
  SplitIndices out;
  out.test.assign(order.begin(), order.begin() + static_cast<std::ptrdiff_t>(count));
  out.train.assign(order.begin() + static_cast<std::ptrdiff_t>(count), order.end());
  std::sort(out.train.begin(), out.train.end());
  std::sort(out.test.begin(), out.test.end());
  return out;
}

SplitIndices split_indices(const std::vector<std::size_t>& labels, double test_fraction, std::uint64_t seed,
                           bool stratify) {
  if (!stratify) return split_indices(labels.size(), test_fraction, seed);
  check_fraction(test_fraction);
  const std::size_t n = labels.size();
  const std::size_t n_test = test_count(n, test_fraction, "the data set");
  std::vector<std::size_t> order(n);
  std::iota(order.begin(), order.end(), std::size_t{0});
  std::stable_sort(order.begin(), order.end(), [&](std::size_t a, std::size_t b) { return labels[a] < labels[b]; });
  std::vector<std::span<std::size_t>> classes;
  for (std::size_t begin = 0; begin < n;) {
    std::size_t end = begin;
    while (end < n && labels[order[end]] == labels[order[begin]]) ++end;
    classes.emplace_back(order.data() + begin, end - begin);
    begin = end;
  }
  std::vector<std::size_t> sizes;
  for (const auto& members : classes) sizes.push_back(members.size());
  const auto train_counts = approximate_mode(sizes, n - n_test);
  std::vector<std::size_t> left(sizes.size());
  for (std::size_t c = 0; c < sizes.size(); ++c) left[c] = sizes[c] - train_counts[c];
  const auto test_counts = approximate_mode(left, n_test);

  Generator generator(seed);
  SplitIndices out;
  for (std::size_t c = 0; c < classes.size(); ++c) {
    shuffle(classes[c], generator);
    const auto members = classes[c];
    out.test.insert(out.test.end(), members.begin(), members.begin() + static_cast<std::ptrdiff_t>(test_counts[c]));
    out.train.insert(out.train.end(), members.begin() + static_cast<std::ptrdiff_t>(test_counts[c]), members.end());
  }
  std::sort(out.train.begin(), out.train.end());
  std::sort(out.test.begin(), out.test.end());
  return out;
}

template <class S>
TrainTestSplit<BasicDataset<S>> train_test_split(const BasicDataset<S>& dataset, double test_fraction,
                                                 std::uint64_t seed, bool stratify) {
  if (stratify && dataset.has_targets())
    throw_invalid_argument("train_test_split", "a data set with float targets cannot be stratified");
  check_fraction(test_fraction);
  test_count(dataset.size(), test_fraction, dataset.source.empty() ? "the data set" : "'" + dataset.source + "'");
  const auto parts = dataset.has_targets() ? split_indices(dataset.size(), test_fraction, seed)
                                           : split_indices(dataset.labels, test_fraction, seed, stratify);
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

template TrainTestSplit<Dataset> train_test_split(const Dataset&, double, std::uint64_t, bool);
template TrainTestSplit<Dataset64> train_test_split(const Dataset64&, double, std::uint64_t, bool);

}  // namespace xg::datasets
