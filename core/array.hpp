#pragma once
// The containers behind every tensor, and shape helpers shared by all layers.

#include <cstddef>
#include <limits>
#include <string>
#include <vector>

#include <xtensor/xarray.hpp>

#include <xgrad/core/buffer_cache.hpp>
#include <xgrad/core/error.hpp>

namespace xg {

// Values and gradients are row-major dynamic-rank arrays: tensors change rank
// through reductions and reshapes, and a fixed-rank container per rank would
// multiply every op by five. Hot paths use raw pointers and BLAS on them.
// Their buffers come from the per-thread cache of core/buffer_cache.hpp.
template <class Scalar>
using Array = xt::xarray<Scalar, xt::layout_type::row_major, memory::BufferAllocator<Scalar>>;

using Shape = std::vector<std::size_t>;
// A shape kept inline up to rank 4, as arrays keep theirs: what an op builds
// per call, so that it allocates nothing for the shape.
using InlineShape = Array<float>::shape_type;

template <class S>
Shape to_shape(const S& s) {
  return Shape(s.begin(), s.end());
}

// "(3, 4)"; "()" for a scalar.
template <class S>
std::string shape_to_string(const S& s) {
  std::string out = "(";
  bool first = true;
  for (auto d : s) {
    if (!first) out += ", ";
    out += std::to_string(d);
    first = false;
  }
  if (s.size() == 1) out += ",";
  return out + ")";
}

template <class A, class B>
bool shapes_equal(const A& a, const B& b) {
  if (a.size() != b.size()) return false;
  for (std::size_t i = 0; i < a.size(); ++i)
    if (a[i] != b[i]) return false;
  return true;
}

// The number of elements of `shape`, or a ShapeError naming `op` and the
// shape when it cannot be indexed: a count that wrapped around size_t would
// make a huge tensor look empty (or small), and xtensor's strides are signed,
// so the extents other than 0 must multiply to at most PTRDIFF_MAX.
template <class S>
std::size_t checked_numel(const std::string& op, const S& shape) {
  std::size_t product = 1;
  bool empty = false;
  for (auto d : shape) {
    const auto extent = static_cast<std::size_t>(d);
    if (extent == 0) {
      empty = true;
    } else if (__builtin_mul_overflow(product, extent, &product) ||
               product > static_cast<std::size_t>(std::numeric_limits<std::ptrdiff_t>::max())) {
      throw ShapeError(op + ": the shape " + shape_to_string(shape) + " has more elements than an array can index");
    }
  }
  return empty ? 0 : product;
}

}  // namespace xg
