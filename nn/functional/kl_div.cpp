#include <cmath>
#include <utility>
#include <xgrad/nn/functional/detail/elementwise_loss.hpp>

namespace xg::nn::functional {

// The Kullback-Leibler divergence of the target distribution from the
// input's, the input given as log-probabilities x, as PyTorch's kl_div
// (aten/src/ATen/native/Loss.cpp _kl_div_non_log_target, _kl_div_log_target
// and kl_div_backward; torch/nn/functional.py for batchmean):
//   target t:       t (log t - x), 0 where t = 0;  d/dx = -t, d/dt = log t + 1 - x
//   log target l:   exp(l) (l - x);                d/dx = -exp(l), d/dl = exp(l) (l - x + 1)
// The derivative in t at t = 0 is unbounded; it is taken as 0 there, as the
// loss's value is.
template <class S>
BasicTensor<S> kl_div(const BasicTensor<S>& input, const BasicTensor<S>& target, KLDivOptions options) {
  if (options.log_target)
    return detail::elementwise_loss(
        "kl_div", input, target, options.reduction, [](S x, S l) { return std::exp(l) * (l - x); },
        [](S x, S l) {
          return std::pair{-std::exp(l), std::exp(l) * (l - x + S(1))};
        },
        {}, true);
  return detail::elementwise_loss(
      "kl_div", input, target, options.reduction, [](S x, S t) { return t > 0 ? t * (std::log(t) - x) : S(0); },
      [](S x, S t) {
        return t > 0 ? std::pair{-t, std::log(t) + S(1) - x} : std::pair{S(0), S(0)};
      },
      {}, true);
}

template BasicTensor<float> kl_div(const BasicTensor<float>&, const BasicTensor<float>&, KLDivOptions);
template BasicTensor<double> kl_div(const BasicTensor<double>&, const BasicTensor<double>&, KLDivOptions);

}  // namespace xg::nn::functional
