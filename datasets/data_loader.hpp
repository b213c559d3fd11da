#pragma once
// Mini-batches of a labelled feature matrix, reshuffled every epoch:
//
//   DataLoader loader(train, {.batch_size = 64});
//   for (int epoch = 0; epoch < 10; ++epoch)
//     for (auto [x, y] : loader) { ... }
//
// Each begin() starts an epoch; with `shuffle` it draws a new order from the
// generator, so a seeded generator gives the same batches on every run.
// BasicDataLoader<double> (DataLoader64) serves float64 batches from a
// Dataset64, for a model converted with model.to<double>().

#include <cstddef>
#include <span>
#include <vector>

#include <xgrad/core/array.hpp>
#include <xgrad/core/generator.hpp>
#include <xgrad/core/tensor.hpp>
#include <xgrad/datasets/batch_loader.hpp>
#include <xgrad/datasets/dataset.hpp>

namespace xg::datasets {

template <class S>
struct BasicBatch {
  BasicTensor<S> x;            // (rows, features)
  std::vector<std::size_t> y;  // rows labels
};

using Batch = BasicBatch<float>;

// DataLoader's Gather (batch_loader.hpp): rows of features with their labels.
template <class S>
class LabelledRows {
 public:
  using Batch = BasicBatch<S>;
  static constexpr const char* name = "DataLoader";

  // `features` of shape (samples, features), one label per sample; a
  // ShapeError naming both otherwise.
  LabelledRows(Array<S> features, std::vector<std::size_t> labels);

  std::size_t num_samples() const { return labels_.size(); }
  void fill(std::span<const std::size_t> samples, Batch& out) const;

 private:
  Array<S> features_;
  std::vector<std::size_t> labels_;
};

template <class S>
class BasicDataLoader : public BatchLoader<LabelledRows<S>> {
 public:
  // The generator must outlive the loader.
  BasicDataLoader(Array<S> features, std::vector<std::size_t> labels, DataLoaderOptions options = {},
                  Generator& generator = default_generator())
      : BatchLoader<LabelledRows<S>>(LabelledRows<S>(std::move(features), std::move(labels)), options, generator) {}
  explicit BasicDataLoader(const BasicDataset<S>& dataset, DataLoaderOptions options = {},
                           Generator& generator = default_generator())
      : BasicDataLoader(dataset.features, dataset.labels, options, generator) {}
};

using DataLoader = BasicDataLoader<float>;
using DataLoader64 = BasicDataLoader<double>;

extern template class LabelledRows<float>;
extern template class LabelledRows<double>;

}  // namespace xg::datasets
