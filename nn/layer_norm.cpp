#include <xgrad/nn/layer_norm.hpp>

#include <cmath>
#include <stdexcept>
#include <string>

#include <xgrad/autograd/ops.hpp>
#include <xgrad/core/error.hpp>
#include <xgrad/core/factories.hpp>
#include <xgrad/core/message.hpp>

namespace xg::nn {

template <class S>
BasicLayerNorm<S>::BasicLayerNorm(Shape normalized_shape, LayerNormOptions options)
    : normalized_shape_(std::move(normalized_shape)), options_(options) {
  std::size_t n = 1;
  for (std::size_t d : normalized_shape_) n *= d;
  if (normalized_shape_.empty() || n == 0)
    throw std::invalid_argument("LayerNorm: normalized_shape " + shape_to_string(normalized_shape_) +
                                " holds no element to normalize");
  if (!(options.eps >= 0) || !std::isfinite(options.eps))
    throw std::invalid_argument("LayerNorm: eps must be finite and >= 0, got " + number_text(options.eps));
  checked_numel("LayerNorm", normalized_shape_);
  if (options.elementwise_affine) {
    weight = ones<S>(normalized_shape_, true);
    bias = zeros<S>(normalized_shape_, true);
  }
}

template <class S>
BasicTensor<S> BasicLayerNorm<S>::forward(const BasicTensor<S>& x) {
  return layer_norm(x, normalized_shape_, weight, bias, options_.eps);
}

template <class S>
NamedTensors<S> BasicLayerNorm<S>::local_parameters() const {
  if (!options_.elementwise_affine) return {};
  return {{"weight", weight}, {"bias", bias}};
}

template class BasicLayerNorm<float>;
template class BasicLayerNorm<double>;

}  // namespace xg::nn
