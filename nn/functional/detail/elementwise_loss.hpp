#pragma once
// What the losses of one input and one target of the same shape share: the
// checks, the per-element loss times an optional weight, the reduction, and
// a backward handing each element its partial derivatives. Each loss's file
// gives its formula and its derivatives side by side.

#include <string>
#include <utility>
#include <xgrad/autograd/function.hpp>
#include <xgrad/core/broadcast.hpp>
#include <xgrad/nn/functional/detail/loss_reduction.hpp>

namespace xg::nn::functional::detail {

// `loss(a, b)` is the loss of input element a against target element b;
// `derivatives(a, b)` its {d/da, d/db}. `weight`, when defined, multiplies
// each element's loss and broadcasts to the input's shape (it gets no
// gradient, as in PyTorch's losses). Reduction::batchmean divides the sum by
// the input's first dimension and is refused unless `allow_batchmean`.
template <class S, class Loss, class Derivatives>
BasicTensor<S> elementwise_loss(const char* op, const BasicTensor<S>& input, const BasicTensor<S>& target,
                                Reduction reduction, Loss loss, Derivatives derivatives,
                                const BasicTensor<S>& weight = {}, bool allow_batchmean = false) {
  if (!input.defined() || !target.defined()) throw_invalid_argument(op, "the input and target must be defined tensors");
  if (!shapes_equal(input.shape(), target.shape()))
    throw_shape_error(op, "input of shape " + shape_to_string(input.shape()) + " and target of shape " +
                              shape_to_string(target.shape()) + " differ");
  std::size_t batch_rows = 0;
  if (reduction == Reduction::batchmean && allow_batchmean) {
    if (input.dim() == 0 || input.shape()[0] == 0)
      throw_shape_error(
          op, "Reduction::batchmean divides by the batch size, the first dimension, but the input has shape " +
                  shape_to_string(input.shape()));
    batch_rows = input.shape()[0];
  }
  const bool weighted = weight.defined();
  Array<S> w;
  if (weighted) {
    if (!shapes_equal(broadcast_shapes(op, weight.shape(), input.shape()), input.shape()))
      throw_shape_error(op, "weight of shape " + shape_to_string(weight.shape()) +
                                " does not broadcast to the input's shape " + shape_to_string(input.shape()));
    w = xt::broadcast(weight.value(), input.shape());
  }
  const std::size_t n = input.numel();
  auto losses = Array<S>::from_shape(input.shape());
  const S* a = input.value().data();
  const S* b = target.value().data();
  for (std::size_t i = 0; i < n; ++i) losses.data()[i] = loss(a[i], b[i]) * (weighted ? w.data()[i] : S(1));
  Array<S> out = reduce_losses<S>(op, std::move(losses), reduction, batch_rows);

  return autograd::record<S>(
      op, std::move(out), {&input, &target},
      [divisor = batch_rows ? batch_rows : n, reduction, derivatives, weighted, w = std::move(w)](Node<S>& self) {
        const LossGradient<S> upstream(self, reduction, divisor);
        auto &input = *self.inputs[0], &target = *self.inputs[1];
        const S* a = input.value.data();
        const S* b = target.value.data();
        const auto scale = [&](std::size_t i) { return weighted ? upstream[i] * w.data()[i] : upstream[i]; };
        if (input.requires_grad)
          autograd::accumulate_each(input, [&](std::size_t i) { return scale(i) * derivatives(a[i], b[i]).first; });
        if (target.requires_grad)
          autograd::accumulate_each(target, [&](std::size_t i) { return scale(i) * derivatives(a[i], b[i]).second; });
      });
}

}  // namespace xg::nn::functional::detail
