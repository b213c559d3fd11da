#pragma once
// Arithmetic with NumPy broadcasting, and the operators (ops/arithmetic.cpp).

#include <xgrad/autograd/ops/result_types.hpp>
#include <xgrad/core/tensor.hpp>

namespace xg {

template <class S>
BasicTensor<S> add(const BasicTensor<S>& a, const BasicTensor<S>& b);
template <class S>
BasicTensor<S> sub(const BasicTensor<S>& a, const BasicTensor<S>& b);
template <class S>
BasicTensor<S> mul(const BasicTensor<S>& a, const BasicTensor<S>& b);
template <class S>
BasicTensor<S> div(const BasicTensor<S>& a, const BasicTensor<S>& b);
template <class S>
BasicTensor<S> neg(const BasicTensor<S>& a);
template <class S>
BasicTensor<S> add(const BasicTensor<S>& a, Scalar_t<S> b);
template <class S>
BasicTensor<S> mul(const BasicTensor<S>& a, Scalar_t<S> b);
// b - a and b / a, for the scalar-on-the-left operators.
template <class S>
BasicTensor<S> rsub(const BasicTensor<S>& a, Scalar_t<S> b);
template <class S>
BasicTensor<S> rdiv(const BasicTensor<S>& a, Scalar_t<S> b);

template <class S>
BasicTensor<S> operator+(const BasicTensor<S>& a, const BasicTensor<S>& b) {
  return add(a, b);
}
template <class S>
BasicTensor<S> operator-(const BasicTensor<S>& a, const BasicTensor<S>& b) {
  return sub(a, b);
}
template <class S>
BasicTensor<S> operator*(const BasicTensor<S>& a, const BasicTensor<S>& b) {
  return mul(a, b);
}
template <class S>
BasicTensor<S> operator/(const BasicTensor<S>& a, const BasicTensor<S>& b) {
  return div(a, b);
}
template <class S>
BasicTensor<S> operator-(const BasicTensor<S>& a) {
  return neg(a);
}
template <class S>
BasicTensor<S> operator+(const BasicTensor<S>& a, Scalar_t<S> b) {
  return add(a, b);
}
template <class S>
BasicTensor<S> operator+(Scalar_t<S> a, const BasicTensor<S>& b) {
  return add(b, a);
}
template <class S>
BasicTensor<S> operator-(const BasicTensor<S>& a, Scalar_t<S> b) {
  return add(a, -b);
}
template <class S>
BasicTensor<S> operator-(Scalar_t<S> a, const BasicTensor<S>& b) {
  return rsub(b, a);
}
template <class S>
BasicTensor<S> operator*(const BasicTensor<S>& a, Scalar_t<S> b) {
  return mul(a, b);
}
template <class S>
BasicTensor<S> operator*(Scalar_t<S> a, const BasicTensor<S>& b) {
  return mul(b, a);
}
template <class S>
BasicTensor<S> operator/(const BasicTensor<S>& a, Scalar_t<S> b) {
  return mul(a, S(1) / b);
}
template <class S>
BasicTensor<S> operator/(Scalar_t<S> a, const BasicTensor<S>& b) {
  return rdiv(b, a);
}

}  // namespace xg
