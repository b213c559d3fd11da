// Binary cross-entropy on logits, as PyTorch's binary_cross_entropy_with_logits
// (aten/src/ATen/native/Loss.cpp and its backward), in the form that never
// overflows: with softplus(-x) = log(1 + exp(-x)) = max(-x, 0) + log1p(exp(-|x|)),
//   loss = w [(1 - t) x + (1 + (p - 1) t) softplus(-x)]
//   d/dx = w [(p t + 1 - t) sigmoid(x) - p t]
//   d/dt = w [(p - 1) softplus(-x) - x]
// w the weight, p the pos_weight, each 1 when undefined.

#include <algorithm>
#include <cmath>
#include <string>
#include <xgrad/autograd/function.hpp>
#include <xgrad/nn/functional/detail/loss_reduction.hpp>
#include <xgrad/nn/functional/loss.hpp>
#include <xtensor/xbroadcast.hpp>

namespace xg::nn::functional {

namespace {

constexpr const char* op = "binary_cross_entropy_with_logits";

template <class S>
S stable_sigmoid(S x) {
  if (x >= 0) return S(1) / (S(1) + std::exp(-x));
  const S e = std::exp(x);
  return e / (S(1) + e);
}

template <class S>
S softplus_of_negative(S x) {
  return std::max(-x, S(0)) + std::log1p(std::exp(-std::abs(x)));
}

// Whether `from` stretches to `to` by broadcasting alone (to itself never grows).
template <class A, class B>
bool broadcasts_to(const A& from, const B& to) {
  if (from.size() > to.size()) return false;
  for (std::size_t i = 1; i <= from.size(); ++i)
    if (from[from.size() - i] != 1 && from[from.size() - i] != to[to.size() - i]) return false;
  return true;
}

// `factor` broadcast to the logits' shape, or an empty array when undefined.
template <class S>
Array<S> broadcast_factor(const char* name, const BasicTensor<S>& factor, const BasicTensor<S>& logits) {
  if (!factor.defined()) return Array<S>();
  if (!broadcasts_to(factor.shape(), logits.shape()))
    throw_shape_error(op, std::string(name) + " of shape " + shape_to_string(factor.shape()) +
                              " does not broadcast to the logits' shape " + shape_to_string(logits.shape()));
  return xt::broadcast(factor.value(), logits.shape());
}

}  // namespace

template <class S>
BasicTensor<S> binary_cross_entropy_with_logits(const BasicTensor<S>& logits, const BasicTensor<S>& targets,
                                                BinaryCrossEntropyWithLogitsOptions<S> options) {
  if (!logits.defined() || !targets.defined())
    throw_invalid_argument(op, "the logits and targets must be defined tensors");
  if (!shapes_equal(logits.shape(), targets.shape()))
    throw_shape_error(op, "logits of shape " + shape_to_string(logits.shape()) + " and targets of shape " +
                              shape_to_string(targets.shape()) + " differ");
  Array<S> weight = broadcast_factor("weight", options.weight, logits);
  Array<S> pos_weight = broadcast_factor("pos_weight", options.pos_weight, logits);
  const std::size_t n = logits.numel();
  const S* w = options.weight.defined() ? weight.data() : nullptr;
  const S* p = options.pos_weight.defined() ? pos_weight.data() : nullptr;
  auto losses = Array<S>::from_shape(logits.shape());
  const S* x = logits.value().data();
  const S* t = targets.value().data();
  for (std::size_t i = 0; i < n; ++i) {
    const S positive = p ? p[i] : S(1);
    const S loss = (S(1) - t[i]) * x[i] + (S(1) + (positive - S(1)) * t[i]) * softplus_of_negative(x[i]);
    losses.data()[i] = w ? w[i] * loss : loss;
  }
  Array<S> out = detail::reduce_losses<S>(op, std::move(losses), options.reduction);

  return autograd::record<S>(
      op, std::move(out), {&logits, &targets},
      [n, reduction = options.reduction, weight = std::move(weight), pos_weight = std::move(pos_weight),
       weighted = w != nullptr, positive_weighted = p != nullptr](Node<S>& self) {
        const detail::LossGradient<S> upstream(self, reduction, n);
        auto &logits = *self.inputs[0], &targets = *self.inputs[1];
        const S* x = logits.value.data();
        const S* t = targets.value.data();
        const auto scale = [&](std::size_t i) { return weighted ? upstream[i] * weight.data()[i] : upstream[i]; };
        const auto positive = [&](std::size_t i) { return positive_weighted ? pos_weight.data()[i] : S(1); };
        if (logits.requires_grad)
          autograd::accumulate_each(logits, [&](std::size_t i) {
            const S pt = positive(i) * t[i];
            return scale(i) * ((pt + S(1) - t[i]) * stable_sigmoid(x[i]) - pt);
          });
        if (targets.requires_grad)
          autograd::accumulate_each(targets, [&](std::size_t i) {
            return scale(i) * ((positive(i) - S(1)) * softplus_of_negative(x[i]) - x[i]);
          });
      });
}

template BasicTensor<float> binary_cross_entropy_with_logits(const BasicTensor<float>&, const BasicTensor<float>&,
                                                             BinaryCrossEntropyWithLogitsOptions<float>);
template BasicTensor<double> binary_cross_entropy_with_logits(const BasicTensor<double>&, const BasicTensor<double>&,
                                                              BinaryCrossEntropyWithLogitsOptions<double>);

}  // namespace xg::nn::functional
