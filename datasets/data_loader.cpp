#include <xgrad/datasets/data_loader.hpp>

#include <string>

#include <xgrad/core/error.hpp>
#include <xgrad/datasets/detail/gather_rows.hpp>

namespace xg::datasets {

template <class S>
LabelledRows<S>::LabelledRows(Array<S> features, std::vector<std::size_t> labels)
    : features_(std::move(features)), labels_(std::move(labels)) {
  if (features_.dimension() != 2 || features_.shape()[0] != labels_.size())
    throw_shape_error(name, "features of shape " + shape_to_string(features_.shape()) + " do not fit " +
                                std::to_string(labels_.size()) + " labels; expected (samples, features)");
}

template <class S>
void LabelledRows<S>::fill(std::span<const std::size_t> samples, Batch& out) const {
  gather_rows(features_, samples, out.x);
  out.y.resize(samples.size());
  for (std::size_t r = 0; r < samples.size(); ++r) out.y[r] = labels_[samples[r]];
}

template class LabelledRows<float>;
template class LabelledRows<double>;

}  // namespace xg::datasets
