#include <algorithm>
#include <cmath>
#include <string>
#include <utility>
#include <xgrad/core/message.hpp>
#include <xgrad/nn/functional/detail/elementwise_loss.hpp>

namespace xg::nn::functional {

// Girshick, "Fast R-CNN" (2015), eq. 3, with PyTorch's beta
// (aten/src/ATen/native/Loss.cpp smooth_l1_loss and its cpu kernels), d = a - b:
//   loss = 0.5 d^2 / beta where |d| < beta, |d| - 0.5 beta elsewhere
//   d/da = d / beta clamped to [-1, 1] = -d/db
// beta = 0 is l1_loss, as PyTorch makes it.
template <class S>
BasicTensor<S> smooth_l1_loss(const BasicTensor<S>& input, const BasicTensor<S>& target, SmoothL1LossOptions options) {
  if (!(options.beta >= 0 && std::isfinite(options.beta)))
    throw_invalid_argument("smooth_l1_loss", "beta must be non-negative and finite, got " + number_text(options.beta));
  if (options.beta == 0) return l1_loss(input, target, {.reduction = options.reduction});
  const S beta = static_cast<S>(options.beta);
  return detail::elementwise_loss(
      "smooth_l1_loss", input, target, options.reduction,
      [beta](S a, S b) {
        const S z = std::abs(a - b);
        return z < beta ? S(0.5) * z * z / beta : z - S(0.5) * beta;
      },
      [beta](S a, S b) {
        const S g = std::clamp((a - b) / beta, S(-1), S(1));
        return std::pair{g, -g};
      });
}

template BasicTensor<float> smooth_l1_loss(const BasicTensor<float>&, const BasicTensor<float>&, SmoothL1LossOptions);
template BasicTensor<double> smooth_l1_loss(const BasicTensor<double>&, const BasicTensor<double>&,
                                            SmoothL1LossOptions);

}  // namespace xg::nn::functional
