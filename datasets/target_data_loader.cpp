#include <xgrad/datasets/target_data_loader.hpp>

#include <xgrad/core/error.hpp>
#include <xgrad/datasets/detail/gather_rows.hpp>

namespace xg::datasets {

namespace {

template <class S>
const BasicDataset<S>& with_targets(const BasicDataset<S>& dataset) {
  if (!dataset.has_targets())
    throw_invalid_argument("TargetDataLoader", "the data set has class labels, not float targets: use DataLoader");
  return dataset;
}

}  // namespace

template <class S>
TargetRows<S>::TargetRows(Array<S> features, Array<S> targets)
    : features_(std::move(features)), targets_(std::move(targets)) {
  if (features_.dimension() != 2 || targets_.dimension() < 1 || targets_.dimension() > 2 ||
      targets_.shape()[0] != features_.shape()[0])
    throw_shape_error(name, "features of shape " + shape_to_string(features_.shape()) +
                                " do not fit targets of shape " + shape_to_string(targets_.shape()) +
                                "; expected (samples, features) and (samples) or (samples, outputs)");
}

template <class S>
TargetRows<S>::TargetRows(const BasicDataset<S>& dataset)
    : TargetRows(dataset.features, with_targets(dataset).targets) {}

template <class S>
void TargetRows<S>::fill(std::span<const std::size_t> samples, Batch& out) const {
  gather_rows(features_, samples, out.x);
  gather_rows(targets_, samples, out.y);
}

template class TargetRows<float>;
template class TargetRows<double>;

}  // namespace xg::datasets
