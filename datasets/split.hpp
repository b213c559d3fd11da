#pragma once
// Train/test splits, seeded and optionally stratified, with scikit-learn's
// sizes (train_test_split, ShuffleSplit, StratifiedShuffleSplit). Both parts
// keep the samples' original relative order: the seed decides which samples
// go where, a DataLoader shuffles them.

#include <cstddef>
#include <cstdint>
#include <vector>

#include <xgrad/datasets/dataset.hpp>

namespace xg::datasets {

struct SplitIndices {
  std::vector<std::size_t> train;  // ascending
  std::vector<std::size_t> test;   // ascending
};

// Splits 0..labels.size()-1 as scikit-learn sizes it: the test part has
// ceil(n * test_fraction) samples, the train part the rest (so 6 samples at
// 0.2 give 2 test samples, 1797 give 360). Without stratification they are
// the first of a seeded permutation. With it, the train part's count is
// dealt to the classes in proportion to their sizes, then the test part's
// from what each class has left (scikit-learn's _approximate_mode: floors,
// then one more to the largest remainders, ties in ascending label order);
// each class's samples are shuffled by one generator seeded with `seed`.
// test_fraction is in [0, 1]; 0 and 1 leave a part empty on purpose, a
// fraction in between that would leave one empty throws
// std::invalid_argument naming the sample count.
SplitIndices split_indices(const std::vector<std::size_t>& labels, double test_fraction, std::uint64_t seed,
                           bool stratify = false);
// The same without labels (no stratification), for `n` samples.
SplitIndices split_indices(std::size_t n, double test_fraction, std::uint64_t seed);

template <class Data>
struct TrainTestSplit {
  Data train;
  Data test;
};

// auto [train, test] = train_test_split(load_iris(), 0.2, 42, true);
// A data set with float targets splits unstratified; a split that would leave
// a part empty names the data set's file and its row count.
template <class S>
TrainTestSplit<BasicDataset<S>> train_test_split(const BasicDataset<S>& dataset, double test_fraction,
                                                 std::uint64_t seed, bool stratify = false);
TrainTestSplit<TextDataset> train_test_split(const TextDataset& dataset, double test_fraction, std::uint64_t seed,
                                             bool stratify = false);

extern template TrainTestSplit<Dataset> train_test_split(const Dataset&, double, std::uint64_t, bool);
extern template TrainTestSplit<Dataset64> train_test_split(const Dataset64&, double, std::uint64_t, bool);

}  // namespace xg::datasets
