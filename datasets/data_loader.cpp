#include <xgrad/datasets/data_loader.hpp>

#include <algorithm>
#include <cstring>
#include <numeric>

#include <xgrad/core/error.hpp>
#include <xgrad/datasets/shuffle.hpp>

namespace xg::datasets {

DataLoader::DataLoader(Array<float> features, std::vector<std::size_t> labels, DataLoaderOptions options,
                       Generator& generator)
    : features_(std::move(features)), labels_(std::move(labels)), options_(options), generator_(&generator) {
  if (features_.dimension() != 2 || features_.shape()[0] != labels_.size())
    throw_shape_error("DataLoader", "features of shape " + shape_to_string(features_.shape()) + " do not fit " +
                                        std::to_string(labels_.size()) + " labels; expected (samples, features)");
  if (options_.batch_size == 0) throw_invalid_argument("DataLoader", "batch_size must be positive");
  order_.resize(labels_.size());
  std::iota(order_.begin(), order_.end(), std::size_t{0});
}

DataLoader::DataLoader(const Dataset& dataset, DataLoaderOptions options, Generator& generator)
    : DataLoader(dataset.features, dataset.labels, options, generator) {}

std::size_t DataLoader::size() const {
  const std::size_t n = labels_.size(), b = options_.batch_size;
  return options_.drop_last ? n / b : (n + b - 1) / b;
}

DataLoader::Iterator DataLoader::begin() {
  if (options_.shuffle) {
    std::iota(order_.begin(), order_.end(), std::size_t{0});
    shuffle(order_, *generator_);
  }
  return Iterator(*this);
}

void DataLoader::fill(std::size_t batch, Batch& out) const {
  const std::size_t d = features_.shape()[1];
  const std::size_t first = batch * options_.batch_size;
  const std::size_t rows = std::min(options_.batch_size, labels_.size() - first);
  // The previous batch's buffer is reused only when nobody else holds it: a
  // graph built on it, or a copy the caller kept, must not see it change.
  const bool reusable = out.x.defined() && out.x.node().use_count() == 1 && out.x.shape()[0] == rows &&
                        !out.x.requires_grad() && !out.x.has_grad();
  if (!reusable) out.x = Tensor(Array<float>::from_shape({rows, d}));
  out.y.resize(rows);
  const float* src = features_.data();
  float* dst = out.x.value().data();
  for (std::size_t r = 0; r < rows; ++r) {
    const std::size_t sample = order_[first + r];
    if (d) std::memcpy(dst + r * d, src + sample * d, d * sizeof(float));
    out.y[r] = labels_[sample];
  }
}

DataLoader::Iterator::Iterator(const DataLoader& loader) : loader_(&loader), count_(loader.size()) {
  if (count_ > 0) loader_->fill(0, batch_);
}

DataLoader::Iterator& DataLoader::Iterator::operator++() {
  if (++index_ < count_) loader_->fill(index_, batch_);
  return *this;
}

}  // namespace xg::datasets
