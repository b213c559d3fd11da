#pragma once
// Ways to make a tensor: from any xtensor expression, or filled by rule.
// Shapes are written {2, 3}; the scalar type is float unless named:
// xg::zeros<double>({2, 3}).

#include <concepts>
#include <ranges>
#include <type_traits>

#include <xtensor/xexpression.hpp>

#include <xgrad/core/generator.hpp>
#include <xgrad/core/tensor.hpp>

namespace xg {

// From an expression: xt::xarray, xt::adapt(buffer, shape), a view... The
// scalar type follows a floating-point expression and is float otherwise;
// name it to convert: xg::tensor<double>(ints).
template <class Scalar = void, class E>
auto tensor(const xt::xexpression<E>& e, bool requires_grad = false) {
  using V = typename E::value_type;
  using S =
      std::conditional_t<!std::is_void_v<Scalar>, Scalar, std::conditional_t<std::is_floating_point_v<V>, V, float>>;
  using S2 = std::conditional_t<std::is_same_v<S, long double>, double, S>;
  return BasicTensor<S2>(Array<S2>(e.derived_cast()), requires_grad);
}

// From literals: xg::tensor({{1, 2}, {3, 4}}). Only for float and double
// arrays, so that an xt::xarray<int> goes through the converting overload above.
template <class Scalar = float>
requires std::is_same_v<Scalar, float> || std::is_same_v<Scalar, double> BasicTensor<Scalar> tensor(
    Array<Scalar> values, bool requires_grad = false) {
  return BasicTensor<Scalar>(std::move(values), requires_grad);
}
template <class Scalar = float>
BasicTensor<Scalar> scalar_tensor(Scalar value, bool requires_grad = false) {
  return BasicTensor<Scalar>(Array<Scalar>(value), requires_grad);
}

template <class Scalar = float>
BasicTensor<Scalar> full(const Shape& shape, Scalar value, bool requires_grad = false);
template <class Scalar = float>
BasicTensor<Scalar> zeros(const Shape& shape, bool requires_grad = false);
template <class Scalar = float>
BasicTensor<Scalar> ones(const Shape& shape, bool requires_grad = false);
// 0, 1, ..., n-1 and start, start + step, ... (< stop), as 1-D tensors.
template <class Scalar = float>
BasicTensor<Scalar> arange(double n, bool requires_grad = false);
template <class Scalar = float>
BasicTensor<Scalar> arange(double start, double stop, double step = 1.0, bool requires_grad = false);
// arange(2, 5): integer bounds would otherwise fit arange(n, requires_grad)
// and arange(start, stop) equally well, which C++ rejects as ambiguous.
template <class Scalar = float, class Start, class Stop>
requires std::is_arithmetic_v<Start> && std::is_arithmetic_v<Stop> &&
    (!std::is_same_v<Stop, bool>)BasicTensor<Scalar> arange(Start start, Stop stop) {
  return arange<Scalar>(static_cast<double>(start), static_cast<double>(stop), 1.0, false);
}
// Uniform in [0, 1), standard normal, uniform in [low, high).
template <class Scalar = float>
BasicTensor<Scalar> rand(const Shape& shape, bool requires_grad = false, Generator& gen = default_generator());
template <class Scalar = float>
BasicTensor<Scalar> randn(const Shape& shape, bool requires_grad = false, Generator& gen = default_generator());
template <class Scalar = float>
BasicTensor<Scalar> uniform(const Shape& shape, double low, double high, bool requires_grad = false,
                            Generator& gen = default_generator());

// Any range of integers is a shape too (what t.shape() returns, a
// std::array, a std::vector<int>), beside the braced lists above.
template <class R>
concept ShapeRange = std::ranges::range<R> && std::integral<std::ranges::range_value_t<R>> &&
    !std::same_as<std::remove_cvref_t<R>, Shape>;

template <class Scalar = float, ShapeRange R>
BasicTensor<Scalar> full(const R& shape, Scalar value, bool requires_grad = false) {
  return full<Scalar>(to_shape(shape), value, requires_grad);
}
template <class Scalar = float, ShapeRange R>
BasicTensor<Scalar> zeros(const R& shape, bool requires_grad = false) {
  return zeros<Scalar>(to_shape(shape), requires_grad);
}
template <class Scalar = float, ShapeRange R>
BasicTensor<Scalar> ones(const R& shape, bool requires_grad = false) {
  return ones<Scalar>(to_shape(shape), requires_grad);
}
template <class Scalar = float, ShapeRange R>
BasicTensor<Scalar> rand(const R& shape, bool requires_grad = false, Generator& gen = default_generator()) {
  return rand<Scalar>(to_shape(shape), requires_grad, gen);
}
template <class Scalar = float, ShapeRange R>
BasicTensor<Scalar> randn(const R& shape, bool requires_grad = false, Generator& gen = default_generator()) {
  return randn<Scalar>(to_shape(shape), requires_grad, gen);
}
template <class Scalar = float, ShapeRange R>
BasicTensor<Scalar> uniform(const R& shape, double low, double high, bool requires_grad = false,
                            Generator& gen = default_generator()) {
  return uniform<Scalar>(to_shape(shape), low, high, requires_grad, gen);
}

// New leaves of t's shape and scalar type, as torch's *_like (which do not
// copy requires_grad either).
template <class S>
BasicTensor<S> zeros_like(const BasicTensor<S>& t, bool requires_grad = false) {
  return zeros<S>(to_shape(t.shape()), requires_grad);
}
template <class S>
BasicTensor<S> ones_like(const BasicTensor<S>& t, bool requires_grad = false) {
  return ones<S>(to_shape(t.shape()), requires_grad);
}
template <class S>
BasicTensor<S> full_like(const BasicTensor<S>& t, std::type_identity_t<S> value, bool requires_grad = false) {
  return full<S>(to_shape(t.shape()), value, requires_grad);
}
template <class S>
BasicTensor<S> rand_like(const BasicTensor<S>& t, bool requires_grad = false, Generator& gen = default_generator()) {
  return rand<S>(to_shape(t.shape()), requires_grad, gen);
}
template <class S>
BasicTensor<S> randn_like(const BasicTensor<S>& t, bool requires_grad = false, Generator& gen = default_generator()) {
  return randn<S>(to_shape(t.shape()), requires_grad, gen);
}

}  // namespace xg
