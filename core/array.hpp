#pragma once
// The containers behind every tensor, and shape helpers shared by all layers.

#include <cstddef>
#include <string>
#include <vector>

#include <xtensor/xarray.hpp>

namespace xg {

// Values and gradients are row-major dynamic-rank arrays: tensors change rank
// through reductions and reshapes, and a fixed-rank container per rank would
// multiply every op by five. Hot paths use raw pointers and BLAS on them.
template <class Scalar>
using Array = xt::xarray<Scalar, xt::layout_type::row_major>;

using Shape = std::vector<std::size_t>;

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

inline std::size_t shape_numel(const Shape& s) {
  std::size_t n = 1;
  for (auto d : s) n *= d;
  return n;
}

}  // namespace xg
