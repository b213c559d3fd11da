#pragma once
// Mini-batches of features with float targets, for regression (mse_loss):
//
//   TargetDataLoader loader(train, {.batch_size = 32});   // train.has_targets()
//   for (auto [x, y] : loader) { auto loss = nn::functional::mse_loss(model(x), y); ... }
//
// DataLoader's twin for targets rather than class labels: the same options
// and the same SampleOrder, so generators seeded alike give both loaders the
// same batches. y is a tensor of shape (rows) or (rows, outputs), as the
// targets are (samples) or (samples, outputs).

#include <cstddef>
#include <iterator>

#include <xgrad/core/array.hpp>
#include <xgrad/core/generator.hpp>
#include <xgrad/core/tensor.hpp>
#include <xgrad/datasets/batch_iterator.hpp>
#include <xgrad/datasets/dataset.hpp>
#include <xgrad/datasets/sample_order.hpp>

namespace xg::datasets {

struct TargetBatch {
  Tensor x;  // (rows, features)
  Tensor y;  // (rows) or (rows, outputs)
};

class TargetDataLoader {
 public:
  using Iterator = BatchIterator<TargetDataLoader, TargetBatch>;

  // `features` of shape (samples, features), `targets` (samples) or
  // (samples, outputs); a ShapeError naming both otherwise. The generator
  // must outlive the loader.
  TargetDataLoader(Array<float> features, Array<float> targets, DataLoaderOptions options = {},
                   Generator& generator = default_generator());
  // A data set with float targets; std::invalid_argument for one with labels.
  explicit TargetDataLoader(const Dataset& dataset, DataLoaderOptions options = {},
                            Generator& generator = default_generator());

  // A new epoch. Starting one ends any iteration still running on this loader.
  Iterator begin();
  std::default_sentinel_t end() const { return {}; }

  std::size_t size() const { return order_.num_batches(); }  // batches per epoch
  std::size_t num_samples() const { return order_.num_samples(); }
  const DataLoaderOptions& options() const { return order_.options(); }

  // The position in the epoch and the generator's states, to resume
  // mid-epoch bit-identically: see SampleOrder::state_dict.
  io::Archive state_dict() const { return order_.state_dict(); }
  void load_state_dict(const io::Archive& state) { order_.load_state_dict(state); }

 private:
  friend Iterator;
  void fill(std::size_t batch, TargetBatch& out) const;

  Array<float> features_;
  Array<float> targets_;
  SampleOrder order_;
};

}  // namespace xg::datasets
