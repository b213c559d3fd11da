#include <algorithm>
#include <cmath>
#include <string>
#include <utility>
#include <xgrad/core/message.hpp>
#include <xgrad/nn/functional/detail/elementwise_loss.hpp>

namespace xg::nn::functional {

// Huber, "Robust Estimation of a Location Parameter" (1964); as PyTorch's
// huber_loss (aten/src/ATen/native/Loss.cpp and its cpu kernels), d = a - b:
//   loss = 0.5 d^2 where |d| < delta, delta (|d| - 0.5 delta) elsewhere
//   d/da = d clamped to [-delta, delta] = -d/db
template <class S>
BasicTensor<S> huber_loss(const BasicTensor<S>& input, const BasicTensor<S>& target, HuberLossOptions options) {
  if (!(options.delta > 0 && std::isfinite(options.delta)))
    throw_invalid_argument("huber_loss", "delta must be positive and finite, got " + number_text(options.delta));
  const S delta = static_cast<S>(options.delta);
  return detail::elementwise_loss(
      "huber_loss", input, target, options.reduction,
      [delta](S a, S b) {
        const S z = std::abs(a - b);
        return z < delta ? S(0.5) * z * z : delta * (z - S(0.5) * delta);
      },
      [delta](S a, S b) {
        const S g = std::clamp(a - b, -delta, delta);
        return std::pair{g, -g};
      });
}

template BasicTensor<float> huber_loss(const BasicTensor<float>&, const BasicTensor<float>&, HuberLossOptions);
template BasicTensor<double> huber_loss(const BasicTensor<double>&, const BasicTensor<double>&, HuberLossOptions);

}  // namespace xg::nn::functional
