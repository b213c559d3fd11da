#include <cmath>
#include <utility>
#include <xgrad/nn/functional/detail/elementwise_loss.hpp>

namespace xg::nn::functional {

namespace {
template <class S>
S sign(S x) {
  return static_cast<S>((x > 0) - (x < 0));
}
}  // namespace

// |a - b|; d/da = sign(a - b) = -d/db, 0 where a = b (PyTorch's sgn, Loss.cpp l1_loss_backward).
template <class S>
BasicTensor<S> l1_loss(const BasicTensor<S>& input, const BasicTensor<S>& target, LossOptions options) {
  return detail::elementwise_loss(
      "l1_loss", input, target, options.reduction, [](S a, S b) { return std::abs(a - b); },
      [](S a, S b) {
        return std::pair{sign(a - b), -sign(a - b)};
      });
}

template BasicTensor<float> l1_loss(const BasicTensor<float>&, const BasicTensor<float>&, LossOptions);
template BasicTensor<double> l1_loss(const BasicTensor<double>&, const BasicTensor<double>&, LossOptions);

}  // namespace xg::nn::functional
