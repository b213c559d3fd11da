#pragma once
// What every differentiable op uses to put its result on the tape. An op
// computes its value, then hands it over with its inputs and a backward
// closure; nothing is recorded when no input requires a gradient or recording
// is off.

#include <algorithm>
#include <initializer_list>
#include <span>
#include <string>
#include <type_traits>
#include <utility>
#include <vector>

#include <xgrad/autograd/anomaly.hpp>
#include <xgrad/autograd/grad_mode.hpp>
#include <xgrad/core/broadcast.hpp>
#include <xgrad/core/error.hpp>
#include <xgrad/core/tensor.hpp>

namespace xg::autograd {

// The two ways ops list their inputs: pointers to fixed operands, or a range.
template <class Scalar>
const BasicTensor<Scalar>& input_tensor(const BasicTensor<Scalar>* t) {
  return *t;
}
template <class Scalar>
const BasicTensor<Scalar>& input_tensor(const BasicTensor<Scalar>& t) {
  return t;
}

template <class Out, class S>
void record_shape(Out& out, const S& shape) {
  out.push_back(shape.size());
  out.insert(out.end(), shape.begin(), shape.end());
}

template <class Scalar, class Inputs>
BasicTensor<Scalar> record_inputs(const char* op, Array<Scalar>&& value, const Inputs& inputs,
                                  typename Node<Scalar>::BackwardFn&& backward) {
  std::size_t position = 0;
  for (const auto& t : inputs) {
    if (!input_tensor(t).defined())
      throw std::invalid_argument(std::string(op) + ": input " + std::to_string(position) +
                                  " is an undefined (default-constructed) tensor");
    ++position;
  }
  auto node = Node<Scalar>::make(std::move(value));
  node->op = op;
  if (is_anomaly_enabled()) [[unlikely]] {
    std::vector<const Node<Scalar>*> input_nodes;
    for (const auto& t : inputs) input_nodes.push_back(input_tensor(t).node().get());
    check_forward_anomaly<Scalar>(op, node->value, input_nodes);
    node->origin = anomaly_origin();
  }
  if (is_grad_enabled()) {
    bool any = false;
    for (const auto& t : inputs) any = any || input_tensor(t).node()->requires_grad;
    if (any) {
      node->requires_grad = true;
      node->inputs.reserve(position);
      for (const auto& t : inputs) node->inputs.push_back(input_tensor(t).node());
      std::size_t extents = 1 + node->value.dimension();
      for (const auto& in : node->inputs) extents += 1 + in->value.dimension();
      node->recorded_shapes.reserve(extents);
      record_shape(node->recorded_shapes, node->value.shape());
      for (const auto& in : node->inputs) record_shape(node->recorded_shapes, in->value.shape());
      node->backward = std::move(backward);
    }
  }
  return BasicTensor<Scalar>(std::move(node));
}

template <class Scalar>
BasicTensor<Scalar> record(const char* op, Array<Scalar>&& value,
                           std::initializer_list<const BasicTensor<Scalar>*> inputs,
                           typename Node<Scalar>::BackwardFn&& backward) {
  return record_inputs<Scalar>(op, std::move(value), inputs, std::move(backward));
}

// For ops with any number of inputs (concat).
template <class Scalar>
BasicTensor<Scalar> record(const char* op, Array<Scalar>&& value, std::span<const BasicTensor<Scalar>> inputs,
                           typename Node<Scalar>::BackwardFn&& backward) {
  return record_inputs<Scalar>(op, std::move(value), inputs, std::move(backward));
}

// Adds a gradient computed at the broadcast shape to `input`, summing it down
// to the input's own shape first when broadcasting stretched it.
template <class Scalar, class E>
void accumulate_broadcast(Node<Scalar>& input, E&& g) {
  const auto& to = input.value.shape();
  if (shapes_equal(g.shape(), to)) {
    input.accumulate_grad(std::forward<E>(g));
    return;
  }
  // An input broadcast along one leading axis (a bias added to every row)
  // gets the rows' sum in one pass, without a temporary, in the order
  // sum_to_shape adds them.
  if constexpr (std::is_same_v<std::decay_t<E>, Array<Scalar>>) {
    const std::size_t block = input.value.size();
    if (block > 0 && g.shape()[0] > 0 && to.size() + 1 == g.dimension() &&
        std::equal(to.begin(), to.end(), g.shape().begin() + 1)) {
      const Scalar* src = g.data();
      std::size_t i = 0;
      if (!input.has_grad) {
        input.grad = Array<Scalar>::from_shape(to);
        std::copy(src, src + block, input.grad.data());
        input.has_grad = true;
        i = block;
      } else {
        input.check_grad_shape();
      }
      Scalar* sum = input.grad.data();
      for (const std::size_t n = g.size(); i < n; i += block)
        for (std::size_t j = 0; j < block; ++j) sum[j] += src[i + j];
      return;
    }
  }
  input.accumulate_grad(sum_to_shape(Array<Scalar>(std::forward<E>(g)), to));
}

// f applied to every element of `x`, into a new array of its shape. A plain
// loop over std:: functions: with glibc it beats xsimd's exp and log here, and
// xsimd's AVX-512 paths trip GCC 12 false -Wmaybe-uninitialized warnings.
template <class Scalar, class F>
Array<Scalar> map_elements(const Array<Scalar>& x, F f) {
  auto out = Array<Scalar>::from_shape(x.shape());
  const Scalar* src = x.data();
  Scalar* dst = out.data();
  for (std::size_t i = 0, n = x.size(); i < n; ++i) dst[i] = f(src[i]);
  return out;
}

// Adds `contribution(i)` to element i of the input's gradient for every flat
// index i, in one pass and without a temporary array: the backward of
// elementwise ops whose output has the input's shape.
template <class Scalar, class F>
void accumulate_each(Node<Scalar>& input, F contribution) {
  const std::size_t n = input.value.size();
  if (!input.has_grad) {
    input.grad = Array<Scalar>::from_shape(input.value.shape());
    Scalar* g = input.grad.data();
    for (std::size_t i = 0; i < n; ++i) g[i] = contribution(i);
    input.has_grad = true;
  } else {
    input.check_grad_shape();
    Scalar* g = input.grad.data();
    for (std::size_t i = 0; i < n; ++i) g[i] += contribution(i);
  }
}

// The input's gradient, created as zeros when none exists yet, for ops whose
// backward scatters into it (index_select, gather, concat).
template <class Scalar>
Array<Scalar>& zero_initialized_grad(Node<Scalar>& input) {
  if (!input.has_grad) {
    input.grad = Array<Scalar>::from_shape(input.value.shape());
    input.grad.fill(Scalar(0));
    input.has_grad = true;
  } else {
    input.check_grad_shape();
  }
  return input.grad;
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
