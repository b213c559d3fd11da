#pragma once
// Elementwise math and comparisons (ops/elementwise.cpp).

#include <xgrad/autograd/ops/result_types.hpp>
#include <xgrad/core/tensor.hpp>

namespace xg {

template <class S>
BasicTensor<S> pow(const BasicTensor<S>& x, double exponent);
template <class S>
BasicTensor<S> exp(const BasicTensor<S>& x);
template <class S>
BasicTensor<S> log(const BasicTensor<S>& x);
// log(1 + x) and exp(x) - 1, exact for small x where log and exp round to 0.
template <class S>
BasicTensor<S> log1p(const BasicTensor<S>& x);
template <class S>
BasicTensor<S> expm1(const BasicTensor<S>& x);
template <class S>
BasicTensor<S> sqrt(const BasicTensor<S>& x);
template <class S>
BasicTensor<S> sin(const BasicTensor<S>& x);
template <class S>
BasicTensor<S> cos(const BasicTensor<S>& x);
template <class S>
BasicTensor<S> abs(const BasicTensor<S>& x);
// Limits x to [min, max]; the gradient passes where x lies inside.
template <class S>
BasicTensor<S> clamp(const BasicTensor<S>& x, double min = -std::numeric_limits<double>::infinity(),
                     double max = std::numeric_limits<double>::infinity());
// Elementwise max/min of two tensors (broadcasting); ties split the gradient evenly.
template <class S>
BasicTensor<S> maximum(const BasicTensor<S>& a, const BasicTensor<S>& b);
template <class S>
BasicTensor<S> minimum(const BasicTensor<S>& a, const BasicTensor<S>& b);
// a where the condition holds, b elsewhere; the three broadcast together.
// The condition is a boolean array (`x > 0`, `xg::lt(a, b)`) or bytes (nonzero is true).
template <class S>
BasicTensor<S> where(const BoolArray& condition, const BasicTensor<S>& a, const BasicTensor<S>& b);
template <class S>
BasicTensor<S> where(const xt::xarray<std::uint8_t>& condition, const BasicTensor<S>& a, const BasicTensor<S>& b);

// Comparisons: boolean arrays, no gradient.
// Broadcasting as the arithmetic ops. The operators < <= > >= are
// these; == and != stay unoverloaded (use eq, ne), as a tensor handle's
// equality would otherwise stop meaning what C++ code expects of ==.
template <class S>
BoolArray eq(const BasicTensor<S>& a, const BasicTensor<S>& b);
template <class S>
BoolArray ne(const BasicTensor<S>& a, const BasicTensor<S>& b);
template <class S>
BoolArray lt(const BasicTensor<S>& a, const BasicTensor<S>& b);
template <class S>
BoolArray le(const BasicTensor<S>& a, const BasicTensor<S>& b);
template <class S>
BoolArray gt(const BasicTensor<S>& a, const BasicTensor<S>& b);
template <class S>
BoolArray ge(const BasicTensor<S>& a, const BasicTensor<S>& b);
template <class S>
BoolArray eq(const BasicTensor<S>& a, Scalar_t<S> b);
template <class S>
BoolArray ne(const BasicTensor<S>& a, Scalar_t<S> b);
template <class S>
BoolArray lt(const BasicTensor<S>& a, Scalar_t<S> b);
template <class S>
BoolArray le(const BasicTensor<S>& a, Scalar_t<S> b);
template <class S>
BoolArray gt(const BasicTensor<S>& a, Scalar_t<S> b);
template <class S>
BoolArray ge(const BasicTensor<S>& a, Scalar_t<S> b);

template <class S>
BoolArray operator<(const BasicTensor<S>& a, const BasicTensor<S>& b) {
  return lt(a, b);
}
template <class S>
BoolArray operator<=(const BasicTensor<S>& a, const BasicTensor<S>& b) {
  return le(a, b);
}
template <class S>
BoolArray operator>(const BasicTensor<S>& a, const BasicTensor<S>& b) {
  return gt(a, b);
}
template <class S>
BoolArray operator>=(const BasicTensor<S>& a, const BasicTensor<S>& b) {
  return ge(a, b);
}
template <class S>
BoolArray operator<(const BasicTensor<S>& a, Scalar_t<S> b) {
  return lt(a, b);
}
template <class S>
BoolArray operator<=(const BasicTensor<S>& a, Scalar_t<S> b) {
  return le(a, b);
}
template <class S>
BoolArray operator>(const BasicTensor<S>& a, Scalar_t<S> b) {
  return gt(a, b);
}
template <class S>
BoolArray operator>=(const BasicTensor<S>& a, Scalar_t<S> b) {
  return ge(a, b);
}
template <class S>
BoolArray operator<(Scalar_t<S> a, const BasicTensor<S>& b) {
  return gt(b, a);
}
template <class S>
BoolArray operator<=(Scalar_t<S> a, const BasicTensor<S>& b) {
  return ge(b, a);
}
template <class S>
BoolArray operator>(Scalar_t<S> a, const BasicTensor<S>& b) {
  return lt(b, a);
}
template <class S>
BoolArray operator>=(Scalar_t<S> a, const BasicTensor<S>& b) {
  return le(b, a);
}

}  // namespace xg
