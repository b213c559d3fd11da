#include <xgrad/datasets/target_data_loader.hpp>

#include <cstring>

#include <xgrad/core/error.hpp>

namespace xg::datasets {

namespace {

// The first dimension of `targets`, checked against the features'.
std::size_t checked_samples(const Array<float>& features, const Array<float>& targets) {
  if (features.dimension() != 2 || targets.dimension() < 1 || targets.dimension() > 2 ||
      targets.shape()[0] != features.shape()[0])
    throw_shape_error("TargetDataLoader", "features of shape " + shape_to_string(features.shape()) +
                                              " do not fit targets of shape " + shape_to_string(targets.shape()) +
                                              "; expected (samples, features) and (samples) or (samples, outputs)");
  return targets.shape()[0];
}

const Dataset& with_targets(const Dataset& dataset) {
  if (!dataset.has_targets())
    throw_invalid_argument("TargetDataLoader", "the data set has class labels, not float targets: use DataLoader");
  return dataset;
}

// Copies the rows of `from` at `samples` into `to`, whose first dimension is
// the batch's.
void gather_rows(const Array<float>& from, std::span<const std::size_t> samples, Array<float>& to) {
  const std::size_t width = from.shape()[0] ? from.size() / from.shape()[0] : 0;
  for (std::size_t r = 0; r < samples.size(); ++r)
    if (width) std::memcpy(to.data() + r * width, from.data() + samples[r] * width, width * sizeof(float));
}

// The previous batch's tensor is reused only when nobody else holds it: a
// graph built on it, or a copy the caller kept, must not see it change.
void prepare(Tensor& t, const Array<float>& source, std::size_t rows) {
  const bool reusable = t.defined() && t.node().use_count() == 1 && t.shape()[0] == rows && !t.requires_grad() &&
                        !t.has_grad();
  if (reusable) return;
  auto shape = source.shape();
  shape[0] = rows;
  t = Tensor(Array<float>::from_shape(shape));
}

}  // namespace

TargetDataLoader::TargetDataLoader(Array<float> features, Array<float> targets, DataLoaderOptions options,
                                   Generator& generator)
    : features_(std::move(features)),
      targets_(std::move(targets)),
      order_(checked_samples(features_, targets_), options, generator, "TargetDataLoader") {}

TargetDataLoader::TargetDataLoader(const Dataset& dataset, DataLoaderOptions options, Generator& generator)
    : TargetDataLoader(dataset.features, with_targets(dataset).targets, options, generator) {}

TargetDataLoader::Iterator TargetDataLoader::begin() {
  const std::size_t first = order_.new_epoch();
  return Iterator(*this, first);
}

void TargetDataLoader::fill(std::size_t batch, TargetBatch& out) const {
  const auto samples = order_.batch(batch);
  prepare(out.x, features_, samples.size());
  prepare(out.y, targets_, samples.size());
  gather_rows(features_, samples, out.x.value());
  gather_rows(targets_, samples, out.y.value());
}

}  // namespace xg::datasets
