#pragma once
// Reductions over raw row-major memory. xtensor 0.24's immediate reducers do
// not compile or crash in some include orders and its lazy ones re-evaluate
// per element, so reductions are written once here, for every op to use.

#include <span>

#include <xgrad/core/array.hpp>

namespace xg {

// Reduces `x` along one axis with `combine(acc, v)` starting from each slice's
// first element; the axis is kept with size 1. Views x as (outer, n, inner).
template <class Scalar, class Combine>
Array<Scalar> reduce_axis(const Array<Scalar>& x, std::size_t axis, Combine combine) {
  std::size_t outer = 1, inner = 1;
  const std::size_t n = x.shape()[axis];
  for (std::size_t i = 0; i < axis; ++i) outer *= x.shape()[i];
  for (std::size_t i = axis + 1; i < x.dimension(); ++i) inner *= x.shape()[i];
  InlineShape kept(x.shape().begin(), x.shape().end());
  kept[axis] = 1;
  auto out = Array<Scalar>::from_shape(kept);
  const Scalar* src = x.data();
  Scalar* dst = out.data();
  for (std::size_t o = 0; o < outer; ++o) {
    const Scalar* block = src + o * n * inner;
    Scalar* row = dst + o * inner;
    for (std::size_t j = 0; j < inner; ++j) row[j] = n ? block[j] : Scalar(0);
    for (std::size_t k = 1; k < n; ++k)
      for (std::size_t j = 0; j < inner; ++j) row[j] = combine(row[j], block[k * inner + j]);
  }
  return out;
}

// Reduces along every axis in `axes` (sorted, distinct), keeping them as size 1.
template <class Scalar, class Combine>
Array<Scalar> reduce_axes(const Array<Scalar>& x, std::span<const std::size_t> axes, Combine combine) {
  if (axes.empty()) return x;
  Array<Scalar> out = reduce_axis(x, axes.back(), combine);
  for (auto it = axes.rbegin() + 1; it != axes.rend(); ++it) out = reduce_axis(out, *it, combine);
  return out;
}

template <class Scalar>
Array<Scalar> sum_axes(const Array<Scalar>& x, std::span<const std::size_t> axes) {
  return reduce_axes(x, axes, [](Scalar a, Scalar b) { return a + b; });
}

template <class Scalar>
Scalar sum_all(const Array<Scalar>& x) {
  Scalar total = 0;
  const Scalar* p = x.data();
  for (std::size_t i = 0, n = x.size(); i < n; ++i) total += p[i];
  return total;
}

}  // namespace xg
