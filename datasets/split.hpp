#pragma once
// Train/test splits, seeded and optionally stratified (sklearn's
// train_test_split). Both parts keep the samples' original relative order:
// the seed decides which samples go where, a DataLoader shuffles them.

#include <cstddef>
#include <cstdint>
#include <vector>

#include <xgrad/datasets/dataset.hpp>

namespace xg::datasets {

struct SplitIndices {
  std::vector<std::size_t> train;  // ascending
  std::vector<std::size_t> test;   // ascending
};

// Splits 0..labels.size()-1. Without stratification round(n * test_fraction)
// samples of a seeded permutation go to the test part. With it, the samples
// of each class (in ascending label order) are shuffled by one generator
// seeded with `seed`, and round(n_c * test_fraction) of each go to the test
// part, so both parts keep the class proportions. test_fraction is in [0, 1].
SplitIndices split_indices(const std::vector<std::size_t>& labels, double test_fraction, std::uint64_t seed,
                           bool stratify = false);

template <class Data>
struct TrainTestSplit {
  Data train;
  Data test;
};

// auto [train, test] = train_test_split(load_iris(), 0.2, 42, true);
TrainTestSplit<Dataset> train_test_split(const Dataset& dataset, double test_fraction, std::uint64_t seed,
                                         bool stratify = false);
TrainTestSplit<TextDataset> train_test_split(const TextDataset& dataset, double test_fraction, std::uint64_t seed,
                                             bool stratify = false);

}  // namespace xg::datasets
