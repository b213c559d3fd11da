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
#include <xgrad/datasets/dataset.hpp>

namespace xg::datasets {

struct DataLoaderOptions {
  std::size_t batch_size = 32;
  bool shuffle = true;
  bool drop_last = false;  // drop the last batch when it is smaller than batch_size
};

struct Batch {
  Tensor x;                      // (rows, features)
  std::vector<std::size_t> y;    // rows labels
};

class DataLoader {
 public:
  class Iterator;

  // `features` of shape (samples, features), one label per sample. The
  // generator must outlive the loader.
  DataLoader(Array<float> features, std::vector<std::size_t> labels, DataLoaderOptions options = {},
             Generator& generator = default_generator());
  explicit DataLoader(const Dataset& dataset, DataLoaderOptions options = {},
                      Generator& generator = default_generator());

  // A new epoch. Starting one ends any iteration still running on this loader.
  Iterator begin();
  std::default_sentinel_t end() const { return {}; }

  std::size_t size() const;  // batches per epoch
  std::size_t num_samples() const { return labels_.size(); }
  const DataLoaderOptions& options() const { return options_; }

 private:
  void fill(std::size_t batch, Batch& out) const;

  Array<float> features_;
  std::vector<std::size_t> labels_;
  DataLoaderOptions options_;
  Generator* generator_;
  std::vector<std::size_t> order_;
};

class DataLoader::Iterator {
 public:
  using value_type = Batch;
  using difference_type = std::ptrdiff_t;

  Iterator() = default;

  const Batch& operator*() const { return batch_; }
  const Batch* operator->() const { return &batch_; }
  Iterator& operator++();
  void operator++(int) { ++*this; }
  friend bool operator==(const Iterator& it, std::default_sentinel_t) { return it.index_ >= it.count_; }

 private:
  friend class DataLoader;
  explicit Iterator(const DataLoader& loader);

  const DataLoader* loader_ = nullptr;
  std::size_t index_ = 0;
  std::size_t count_ = 0;
  Batch batch_;
};

}  // namespace xg::datasets
