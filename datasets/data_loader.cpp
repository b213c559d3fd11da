#include <xgrad/datasets/data_loader.hpp>

#include <cstring>

#include <xgrad/core/error.hpp>

namespace xg::datasets {

DataLoader::DataLoader(Array<float> features, std::vector<std::size_t> labels, DataLoaderOptions options,
                       Generator& generator)
    : features_(std::move(features)),
      labels_(std::move(labels)),
      order_(labels_.size(), options, generator, "DataLoader") {
  if (features_.dimension() != 2 || features_.shape()[0] != labels_.size())
    throw_shape_error("DataLoader", "features of shape " + shape_to_string(features_.shape()) + " do not fit " +
                                        std::to_string(labels_.size()) + " labels; expected (samples, features)");
}

DataLoader::DataLoader(const Dataset& dataset, DataLoaderOptions options, Generator& generator)
    : DataLoader(dataset.features, dataset.labels, options, generator) {}

DataLoader::Iterator DataLoader::begin() {
  const std::size_t first = order_.new_epoch();
  return Iterator(*this, first);
}

void DataLoader::fill(std::size_t batch, Batch& out) const {
  const std::size_t d = features_.shape()[1];
  const auto samples = order_.batch(batch);
  const std::size_t rows = samples.size();
  // The previous batch's buffer is reused only when nobody else holds it: a
  // graph built on it, or a copy the caller kept, must not see it change.
  const bool reusable = out.x.defined() && out.x.node().use_count() == 1 && out.x.shape()[0] == rows &&
                        !out.x.requires_grad() && !out.x.has_grad();
  if (!reusable) out.x = Tensor(Array<float>::from_shape({rows, d}));
  out.y.resize(rows);
  const float* src = features_.data();
  float* dst = out.x.value().data();
  for (std::size_t r = 0; r < rows; ++r) {
    const std::size_t sample = samples[r];
    if (d) std::memcpy(dst + r * d, src + sample * d, d * sizeof(float));
    out.y[r] = labels_[sample];
  }
}

}  // namespace xg::datasets
