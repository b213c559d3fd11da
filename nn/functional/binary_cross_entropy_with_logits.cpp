// Binary cross-entropy on logits, in the form that never overflows:
// -[t log s(x) + (1 - t) log(1 - s(x))] = max(x, 0) - x t + log(1 + exp(-|x|)).

#include <algorithm>
#include <cmath>
#include <xgrad/autograd/function.hpp>
#include <xgrad/nn/functional/loss.hpp>
#include <xgrad/nn/functional/loss_reduction.hpp>

namespace xg::nn::functional {

namespace {
template <class S>
S stable_sigmoid(S x) {
  if (x >= 0) return S(1) / (S(1) + std::exp(-x));
  const S e = std::exp(x);
  return e / (S(1) + e);
}
}  // namespace

// d loss / dx = sigmoid(x) - t;  d loss / dt = -x
template <class S>
BasicTensor<S> binary_cross_entropy_with_logits(const BasicTensor<S>& logits, const BasicTensor<S>& targets,
                                                LossOptions options) {
  if (!logits.defined() || !targets.defined())
    throw_invalid_argument("binary_cross_entropy_with_logits", "the logits and targets must be defined tensors");
  if (!shapes_equal(logits.shape(), targets.shape()))
    throw_shape_error("binary_cross_entropy_with_logits", "logits of shape " + shape_to_string(logits.shape()) +
                                                              " and targets of shape " +
                                                              shape_to_string(targets.shape()) + " differ");
  const std::size_t n = logits.numel();
  auto losses = Array<S>::from_shape(logits.shape());
  const S* x = logits.value().data();
  const S* t = targets.value().data();
  for (std::size_t i = 0; i < n; ++i)
    losses.data()[i] = std::max(x[i], S(0)) - x[i] * t[i] + std::log1p(std::exp(-std::abs(x[i])));
  Array<S> out = detail::reduce_losses<S>("binary_cross_entropy_with_logits", std::move(losses), options.reduction);

  return autograd::record<S>(
      "binary_cross_entropy_with_logits", std::move(out), {&logits, &targets},
      [n, reduction = options.reduction](Node<S>& self) {
        const detail::LossGradient<S> upstream(self, reduction, n);
        auto &logits = *self.inputs[0], &targets = *self.inputs[1];
        const S* x = logits.value.data();
        const S* t = targets.value.data();
        if (logits.requires_grad)
          autograd::accumulate_each(logits, [&](std::size_t i) { return upstream[i] * (stable_sigmoid(x[i]) - t[i]); });
        if (targets.requires_grad)
          autograd::accumulate_each(targets, [&](std::size_t i) { return -upstream[i] * x[i]; });
      });
}

template BasicTensor<float> binary_cross_entropy_with_logits(const BasicTensor<float>&, const BasicTensor<float>&,
                                                             LossOptions);
template BasicTensor<double> binary_cross_entropy_with_logits(const BasicTensor<double>&, const BasicTensor<double>&,
                                                              LossOptions);

}  // namespace xg::nn::functional
