#include <xgrad/nn/batch_norm.hpp>

#include <cmath>
#include <stdexcept>
#include <string>

#include <xgrad/autograd/ops.hpp>
#include <xgrad/core/error.hpp>
#include <xgrad/core/factories.hpp>
#include <xgrad/core/message.hpp>

namespace xg::nn {

// Buffers and defaults as torch.nn.modules.batchnorm._NormBase (torch >= 1.2:
// weight ones, bias zeros, running_mean zeros, running_var ones).
template <template <class> class M, class S>
BatchNormBase<M, S>::BatchNormBase(std::size_t num_features, BatchNormOptions options)
    : num_features_(num_features), options_(options) {
  const std::string name = M<S>::name;
  if (num_features == 0) throw std::invalid_argument(name + ": num_features must be positive, got 0");
  if (!(options.eps >= 0) || !std::isfinite(options.eps))
    throw std::invalid_argument(name + ": eps must be finite and >= 0, got " + number_text(options.eps));
  if (options.momentum && !std::isfinite(*options.momentum))
    throw std::invalid_argument(name + ": momentum must be finite, got " + number_text(*options.momentum));
  if (options.affine) {
    weight = ones<S>({num_features}, true);
    bias = zeros<S>({num_features}, true);
  }
  if (options.track_running_stats) {
    running_mean = zeros<S>({num_features});
    running_var = ones<S>({num_features});
    num_batches_tracked = zeros<S>({});
  }
}

// As torch's _BatchNorm.forward: batch statistics in training mode or
// without running estimates; the running estimates move in training mode
// only, by momentum or by 1 / num_batches_tracked.
template <template <class> class M, class S>
BasicTensor<S> BatchNormBase<M, S>::forward(const BasicTensor<S>& x) {
  if (!x.defined()) throw std::invalid_argument(std::string(M<S>::name) + ": the input is an undefined tensor");
  if (!M<S>::accepts_rank(x.dim()))
    throw_shape_error(M<S>::name, std::string("expects an input of shape ") + M<S>::expected_input + ", got " +
                                      shape_to_string(x.shape()));
  if (x.shape()[1] != num_features_)
    throw_shape_error(M<S>::name, "input of shape " + shape_to_string(x.shape()) + " has " +
                                      std::to_string(x.shape()[1]) + " channels but the layer has num_features " +
                                      std::to_string(num_features_));
  const bool tracking = options_.track_running_stats;
  const bool update = this->is_training() && tracking;
  double factor = 0;
  if (update) {
    const double batches = num_batches_tracked.item() + 1;
    factor = options_.momentum ? *options_.momentum : 1.0 / batches;
  }
  auto y = batch_norm(x, tracking ? running_mean : BasicTensor<S>(), tracking ? running_var : BasicTensor<S>(), weight,
                      bias, this->is_training() || !tracking, factor, options_.eps);
  if (update) num_batches_tracked.value() += S(1);
  return y;
}

template <template <class> class M, class S>
NamedTensors<S> BatchNormBase<M, S>::local_parameters() const {
  if (!options_.affine) return {};
  return {{"weight", weight}, {"bias", bias}};
}

template <template <class> class M, class S>
NamedTensors<S> BatchNormBase<M, S>::local_buffers() const {
  if (!options_.track_running_stats) return {};
  return {{"running_mean", running_mean}, {"running_var", running_var}, {"num_batches_tracked", num_batches_tracked}};
}

template class BatchNormBase<BasicBatchNorm1d, float>;
template class BatchNormBase<BasicBatchNorm1d, double>;
template class BatchNormBase<BasicBatchNorm2d, float>;
template class BatchNormBase<BasicBatchNorm2d, double>;

}  // namespace xg::nn
