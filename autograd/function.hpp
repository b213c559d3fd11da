#pragma once
// What every differentiable op uses to put its result on the tape. An op
// computes its value, then hands it over with its inputs and a backward
// closure; nothing is recorded when no input requires a gradient or recording
// is off.

#include <initializer_list>
#include <utility>

#include <xgrad/autograd/grad_mode.hpp>
#include <xgrad/core/broadcast.hpp>
#include <xgrad/core/tensor.hpp>

namespace xg::autograd {

template <class Scalar>
BasicTensor<Scalar> record(const char* op, Array<Scalar>&& value,
                           std::initializer_list<const BasicTensor<Scalar>*> inputs,
                           typename Node<Scalar>::BackwardFn&& backward) {
  auto node = std::make_shared<Node<Scalar>>(std::move(value));
  node->op = op;
  if (is_grad_enabled()) {
    bool any = false;
    for (const auto* t : inputs) any = any || t->node()->requires_grad;
    if (any) {
      node->requires_grad = true;
      node->inputs.reserve(inputs.size());
      for (const auto* t : inputs) node->inputs.push_back(t->node());
      node->backward = std::move(backward);
    }
  }
  return BasicTensor<Scalar>(std::move(node));
}

// Adds a gradient computed at the broadcast shape to `input`, summing it down
// to the input's own shape first when broadcasting stretched it.
template <class Scalar, class E>
void accumulate_broadcast(Node<Scalar>& input, E&& g) {
  if (shapes_equal(g.shape(), input.value.shape()))
    input.accumulate_grad(std::forward<E>(g));
  else
    input.accumulate_grad(sum_to_shape(Array<Scalar>(std::forward<E>(g)), input.value.shape()));
}

// Throws a ShapeError unless `t` has `rank` dimensions.
template <class Scalar>
void check_rank(const char* op, const BasicTensor<Scalar>& t, std::size_t rank, const char* what = "input") {
  if (t.dim() != rank)
    throw_shape_error(op, std::string("expects a ") + std::to_string(rank) + "-D " + what + ", got shape " +
                              shape_to_string(t.shape()));
}

// A possibly negative axis made absolute, or an invalid_argument naming `op`.
std::size_t normalize_axis(const char* op, long axis, std::size_t rank);

}  // namespace xg::autograd
