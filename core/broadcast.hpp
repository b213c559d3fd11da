#pragma once
// NumPy broadcasting of shapes, and its adjoint: summing a gradient back down
// to the shape of the operand that was broadcast.

#include <algorithm>
#include <string>

#include <xgrad/core/array.hpp>
#include <xgrad/core/error.hpp>
#include <xgrad/core/reduce.hpp>

namespace xg {

// The broadcast shape of `a` and `b`, or a ShapeError naming `op`.
template <class A, class B>
InlineShape broadcast_shapes(const char* op, const A& a, const B& b) {
  const std::size_t n = std::max(a.size(), b.size());
  InlineShape out(n);
  for (std::size_t i = 0; i < n; ++i) {
    const std::size_t da = i < n - a.size() ? 1 : a[i - (n - a.size())];
    const std::size_t db = i < n - b.size() ? 1 : b[i - (n - b.size())];
    if (da != db && da != 1 && db != 1)
      throw_shape_error(op, "cannot broadcast " + shape_to_string(a) + " with " + shape_to_string(b));
    out[i] = da == 1 ? db : da;
  }
  // (2^40, 1, 0) and (2^40, 0) hold no elements, but their broadcast's strides
  // would overflow.
  checked_numel(op, out);
  return out;
}

// Sums `g` over the axes that broadcasting added or stretched, giving an
// array of `shape`.
template <class Scalar, class S>
Array<Scalar> sum_to_shape(const Array<Scalar>& g, const S& shape) {
  const std::size_t lead = g.dimension() - shape.size();
  InlineShape axes;
  for (std::size_t i = 0; i < g.dimension(); ++i)
    if (i < lead || (shape[i - lead] == 1 && g.shape()[i] != 1)) axes.push_back(i);
  if (axes.empty()) return g;
  const Array<Scalar> summed = sum_axes(g, axes);
  // Copied into an array of the target shape rather than reshaped: xtensor's
  // reshape allocates for the new shape and strides.
  auto out = Array<Scalar>::from_shape(shape);
  std::copy(summed.data(), summed.data() + summed.size(), out.data());
  return out;
}

}  // namespace xg
