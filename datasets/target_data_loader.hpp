#pragma once
// Mini-batches of features with float targets, for regression (mse_loss):
//
//   TargetDataLoader loader(train, {.batch_size = 32});   // train.has_targets()
//   for (auto [x, y] : loader) { auto loss = nn::functional::mse_loss(model(x), y); ... }
//
// DataLoader's twin for targets rather than class labels: the same options
// and the same SampleOrder, so generators seeded alike give both loaders the
// same batches. y is a tensor of shape (rows) or (rows, outputs), as the
// targets are (samples) or (samples, outputs). BasicTargetDataLoader<double>
// (TargetDataLoader64) serves float64 batches from a Dataset64.

#include <cstddef>
#include <span>

#include <xgrad/core/array.hpp>
#include <xgrad/core/generator.hpp>
#include <xgrad/core/tensor.hpp>
#include <xgrad/datasets/batch_loader.hpp>
#include <xgrad/datasets/dataset.hpp>

namespace xg::datasets {

template <class S>
struct BasicTargetBatch {
  BasicTensor<S> x;  // (rows, features)
  BasicTensor<S> y;  // (rows) or (rows, outputs)
};

using TargetBatch = BasicTargetBatch<float>;

// TargetDataLoader's Gather (batch_loader.hpp): rows of features with their
// rows of targets.
template <class S>
class TargetRows {
 public:
  using Batch = BasicTargetBatch<S>;
  static constexpr const char* name = "TargetDataLoader";

  // `features` of shape (samples, features), `targets` (samples) or
  // (samples, outputs); a ShapeError naming both otherwise.
  TargetRows(Array<S> features, Array<S> targets);
  // A data set with float targets; std::invalid_argument for one with labels.
  explicit TargetRows(const BasicDataset<S>& dataset);

  std::size_t num_samples() const { return targets_.shape()[0]; }
  void fill(std::span<const std::size_t> samples, Batch& out) const;

 private:
  Array<S> features_;
  Array<S> targets_;
};

template <class S>
class BasicTargetDataLoader : public BatchLoader<TargetRows<S>> {
 public:
  // The generator must outlive the loader.
  BasicTargetDataLoader(Array<S> features, Array<S> targets, DataLoaderOptions options = {},
                        Generator& generator = default_generator())
      : BatchLoader<TargetRows<S>>(TargetRows<S>(std::move(features), std::move(targets)), options, generator) {}
  explicit BasicTargetDataLoader(const BasicDataset<S>& dataset, DataLoaderOptions options = {},
                                 Generator& generator = default_generator())
      : BatchLoader<TargetRows<S>>(TargetRows<S>(dataset), options, generator) {}
};

using TargetDataLoader = BasicTargetDataLoader<float>;
using TargetDataLoader64 = BasicTargetDataLoader<double>;

extern template class TargetRows<float>;
extern template class TargetRows<double>;

}  // namespace xg::datasets
