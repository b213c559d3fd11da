#pragma once
// The gradient an update reads: a whole dense gradient, or the rows of a
// row-sparse one. for_each_element runs an optimizer's formula over the
// elements it covers, so one formula serves dense steps and row updates.

#include <cstddef>
#include <span>

#include <xgrad/core/array.hpp>
#include <xgrad/core/row_sparse.hpp>

namespace xg::optim {

template <class Scalar>
struct Gradient {
  const Scalar* values;
  // The parameter rows the values belong to, one row of `row_size` values
  // each; empty with `dense`, where the values cover the whole parameter.
  std::span<const std::size_t> rows;
  std::size_t row_size;
  bool dense;

  static Gradient of(const Array<Scalar>& g) { return {g.data(), {}, g.size(), true}; }
  static Gradient of(const RowSparse<Scalar>& g) { return {g.values.data(), g.rows, g.row_size(), false}; }
};

}  // namespace xg::optim
