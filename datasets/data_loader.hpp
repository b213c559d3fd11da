#pragma once
// Mini-batches of a labelled feature matrix, reshuffled every epoch:
//
//   DataLoader loader(train, {.batch_size = 64});
//   for (int epoch = 0; epoch < 10; ++epoch)
//     for (auto [x, y] : loader) { ... }
//
// Each begin() starts an epoch; with `shuffle` it draws a new order from the
// generator, so a seeded generator gives the same batches on every run.

#include <cstddef>
#include <iterator>
#include <vector>

#include <xgrad/core/array.hpp>
#include <xgrad/core/generator.hpp>
#include <xgrad/core/tensor.hpp>
#include <xgrad/datasets/batch_iterator.hpp>
#include <xgrad/datasets/dataset.hpp>
#include <xgrad/datasets/sample_order.hpp>

namespace xg::datasets {

struct Batch {
  Tensor x;                      // (rows, features)
  std::vector<std::size_t> y;    // rows labels
};

class DataLoader {
 public:
  using Iterator = BatchIterator<DataLoader, Batch>;

  // `features` of shape (samples, features), one label per sample. The
  // generator must outlive the loader.
  DataLoader(Array<float> features, std::vector<std::size_t> labels, DataLoaderOptions options = {},
             Generator& generator = default_generator());
  explicit DataLoader(const Dataset& dataset, DataLoaderOptions options = {},
                      Generator& generator = default_generator());

  // A new epoch. Starting one ends any iteration still running on this loader.
  Iterator begin();
  std::default_sentinel_t end() const { return {}; }

  std::size_t size() const { return order_.num_batches(); }  // batches per epoch
  std::size_t num_samples() const { return order_.num_samples(); }  // this process's, per epoch
  const DataLoaderOptions& options() const { return order_.options(); }

  // The position in the epoch and the generator's states, to resume
  // mid-epoch bit-identically: see SampleOrder::state_dict.
  io::Archive state_dict() const { return order_.state_dict(); }
  void load_state_dict(const io::Archive& state) { order_.load_state_dict(state); }

 private:
  friend Iterator;
  void fill(std::size_t batch, Batch& out) const;

  Array<float> features_;
  std::vector<std::size_t> labels_;
  SampleOrder order_;
};

}  // namespace xg::datasets
