// Elementwise math: pow, exp, log, log1p, expm1, sqrt, sin, cos, abs, clamp, the broadcasting
// maximum/minimum and where, and the comparisons (boolean arrays, no gradient). Domains follow IEEE arithmetic as in
// PyTorch: log(0) is -inf, sqrt(-1) is NaN; invalid arguments (a NaN exponent or bound) throw.

#include <cmath>
#include <cstdint>
#include <string>

#include <xtensor/xoperation.hpp>

#include <xgrad/autograd/function.hpp>
#include <xgrad/autograd/ops.hpp>
#include <xgrad/core/message.hpp>

namespace xg {

using autograd::accumulate_broadcast;
using autograd::accumulate_each;
using autograd::map_elements;
using autograd::record;

// d(x^p) = p x^(p-1) dx; a zero exponent gives a zero gradient even at x = 0,
// where p x^(p-1) would be 0 * inf.
template <class S>
BasicTensor<S> pow(const BasicTensor<S>& x, double exponent) {
  if (std::isnan(exponent)) throw std::invalid_argument("pow: the exponent is NaN");
  const S p = static_cast<S>(exponent);
  Array<S> y = p == S(2) ? map_elements(x.value(), [](S v) { return v * v; })
                         : map_elements(x.value(), [p](S v) { return std::pow(v, p); });
  return record<S>("pow", std::move(y), {&x}, [p](Node<S>& self) {
    auto& in = *self.inputs[0];
    const S* g = self.grad.data();
    const S* v = in.value.data();
    if (p == S(0))
      accumulate_each(in, [](std::size_t) { return S(0); });
    else if (p == S(2))
      accumulate_each(in, [g, v](std::size_t i) { return S(2) * v[i] * g[i]; });
    else
      accumulate_each(in, [g, v, p](std::size_t i) { return p * std::pow(v[i], p - S(1)) * g[i]; });
  });
}

// d(e^x) = e^x dx
template <class S>
BasicTensor<S> exp(const BasicTensor<S>& x) {
  Array<S> y = map_elements(x.value(), [](S v) { return std::exp(v); });
  return record<S>("exp", std::move(y), {&x}, [](Node<S>& self) {
    const S* g = self.grad.data();
    const S* y = self.value.data();
    accumulate_each(*self.inputs[0], [g, y](std::size_t i) { return g[i] * y[i]; });
  });
}

// d(log x) = dx / x
template <class S>
BasicTensor<S> log(const BasicTensor<S>& x) {
  Array<S> y = map_elements(x.value(), [](S v) { return std::log(v); });
  return record<S>("log", std::move(y), {&x}, [](Node<S>& self) {
    auto& in = *self.inputs[0];
    const S* g = self.grad.data();
    const S* v = in.value.data();
    accumulate_each(in, [g, v](std::size_t i) { return g[i] / v[i]; });
  });
}

// d(log(1 + x)) = dx / (1 + x); std::log1p keeps the digits log(1 + x) loses for small x.
template <class S>
BasicTensor<S> log1p(const BasicTensor<S>& x) {
  Array<S> y = map_elements(x.value(), [](S v) { return std::log1p(v); });
  return record<S>("log1p", std::move(y), {&x}, [](Node<S>& self) {
    auto& in = *self.inputs[0];
    const S* g = self.grad.data();
    const S* v = in.value.data();
    accumulate_each(in, [g, v](std::size_t i) { return g[i] / (S(1) + v[i]); });
  });
}

// d(e^x - 1) = e^x dx = (y + 1) dx
template <class S>
BasicTensor<S> expm1(const BasicTensor<S>& x) {
  Array<S> y = map_elements(x.value(), [](S v) { return std::expm1(v); });
  return record<S>("expm1", std::move(y), {&x}, [](Node<S>& self) {
    const S* g = self.grad.data();
    const S* y = self.value.data();
    accumulate_each(*self.inputs[0], [g, y](std::size_t i) { return g[i] * (y[i] + S(1)); });
  });
}

// d(sqrt x) = dx / (2 sqrt x)
template <class S>
BasicTensor<S> sqrt(const BasicTensor<S>& x) {
  Array<S> y = map_elements(x.value(), [](S v) { return std::sqrt(v); });
  return record<S>("sqrt", std::move(y), {&x}, [](Node<S>& self) {
    const S* g = self.grad.data();
    const S* y = self.value.data();
    accumulate_each(*self.inputs[0], [g, y](std::size_t i) { return g[i] / (S(2) * y[i]); });
  });
}

// d(sin x) = cos x dx
template <class S>
BasicTensor<S> sin(const BasicTensor<S>& x) {
  Array<S> y = map_elements(x.value(), [](S v) { return std::sin(v); });
  return record<S>("sin", std::move(y), {&x}, [](Node<S>& self) {
    auto& in = *self.inputs[0];
    const S* g = self.grad.data();
    const S* v = in.value.data();
    accumulate_each(in, [g, v](std::size_t i) { return g[i] * std::cos(v[i]); });
  });
}

// d(cos x) = -sin x dx
template <class S>
BasicTensor<S> cos(const BasicTensor<S>& x) {
  Array<S> y = map_elements(x.value(), [](S v) { return std::cos(v); });
  return record<S>("cos", std::move(y), {&x}, [](Node<S>& self) {
    auto& in = *self.inputs[0];
    const S* g = self.grad.data();
    const S* v = in.value.data();
    accumulate_each(in, [g, v](std::size_t i) { return -g[i] * std::sin(v[i]); });
  });
}

// d|x| = sign(x) dx, with sign(0) = 0 as in PyTorch.
template <class S>
BasicTensor<S> abs(const BasicTensor<S>& x) {
  Array<S> y = map_elements(x.value(), [](S v) { return std::abs(v); });
  return record<S>("abs", std::move(y), {&x}, [](Node<S>& self) {
    auto& in = *self.inputs[0];
    const S* g = self.grad.data();
    const S* v = in.value.data();
    accumulate_each(in, [g, v](std::size_t i) { return v[i] > S(0) ? g[i] : v[i] < S(0) ? -g[i] : S(0); });
  });
}

// The gradient passes where min <= x <= max (bounds included, as in PyTorch).
template <class S>
BasicTensor<S> clamp(const BasicTensor<S>& x, double min, double max) {
  if (std::isnan(min) || std::isnan(max) || min > max)
    throw std::invalid_argument("clamp: needs min <= max, got min=" + number_text(min) + " max=" + number_text(max));
  const S lo = static_cast<S>(min), hi = static_cast<S>(max);
  Array<S> y = map_elements(x.value(), [lo, hi](S v) { return v < lo ? lo : v > hi ? hi : v; });
  return record<S>("clamp", std::move(y), {&x}, [lo, hi](Node<S>& self) {
    auto& in = *self.inputs[0];
    const S* g = self.grad.data();
    const S* v = in.value.data();
    accumulate_each(in, [g, v, lo, hi](std::size_t i) { return v[i] >= lo && v[i] <= hi ? g[i] : S(0); });
  });
}

namespace {

// The share of the gradient that goes to `a` in max(a, b) (or min(a, b) with
// `less`): all of it where a wins, half on a tie, none where b wins. A NaN
// wins, as NaN propagates through the forward.
template <class S, bool less>
struct ExtremumShare {
  S operator()(S a, S b) const {
    if (a == b) return S(0.5);
    if (std::isnan(a)) return S(1);
    if (std::isnan(b)) return S(0);
    return (less ? a < b : a > b) ? S(1) : S(0);
  }
};

template <class S, bool less>
BasicTensor<S> extremum(const char* op, const BasicTensor<S>& a, const BasicTensor<S>& b) {
  broadcast_shapes(op, a.shape(), b.shape());
  const ExtremumShare<S, less> share;
  Array<S> y =
      xt::where(xt::make_lambda_xfunction([share](S u, S v) { return share(u, v) > S(0); }, a.value(), b.value()),
                a.value(), b.value());
  return record<S>(op, std::move(y), {&a, &b}, [share](Node<S>& self) {
    auto &a = *self.inputs[0], &b = *self.inputs[1];
    if (a.requires_grad) accumulate_broadcast(a, self.grad * xt::make_lambda_xfunction(share, a.value, b.value));
    if (b.requires_grad) accumulate_broadcast(b, self.grad * xt::make_lambda_xfunction(share, b.value, a.value));
  });
}

}  // namespace

template <class S>
BasicTensor<S> maximum(const BasicTensor<S>& a, const BasicTensor<S>& b) {
  return extremum<S, false>("maximum", a, b);
}

template <class S>
BasicTensor<S> minimum(const BasicTensor<S>& a, const BasicTensor<S>& b) {
  return extremum<S, true>("minimum", a, b);
}

// The gradient goes to `a` where the condition holds and to `b` elsewhere,
// each summed back to its own shape.
template <class S>
BasicTensor<S> where(const BoolArray& condition, const BasicTensor<S>& a, const BasicTensor<S>& b) {
  broadcast_shapes("where", broadcast_shapes("where", condition.shape(), a.shape()), b.shape());
  Array<S> y = xt::where(condition, a.value(), b.value());
  // The condition broadcast to the output once, and the gradient split by
  // plain loops: xt::where on a broadcast boolean condition and the gradient
  // gave wrong elements on AVX2 (xtensor 0.24, xsimd 8), found by the random
  // op chains on an AMD EPYC.
  BoolArray full = xt::broadcast(condition, y.shape());
  return record<S>("where", std::move(y), {&a, &b}, [full = std::move(full)](Node<S>& self) {
    auto &a = *self.inputs[0], &b = *self.inputs[1];
    const std::size_t n = self.grad.size();
    const S* g = self.grad.data();
    const auto* picked = full.data();
    if (a.requires_grad) {
      Array<S> ga = Array<S>::from_shape(self.grad.shape());
      for (std::size_t i = 0; i < n; ++i) ga.data()[i] = picked[i] ? g[i] : S(0);
      accumulate_broadcast(a, ga);
    }
    if (b.requires_grad) {
      Array<S> gb = Array<S>::from_shape(self.grad.shape());
      for (std::size_t i = 0; i < n; ++i) gb.data()[i] = picked[i] ? S(0) : g[i];
      accumulate_broadcast(b, gb);
    }
  });
}

template <class S>
BasicTensor<S> where(const xt::xarray<std::uint8_t>& condition, const BasicTensor<S>& a, const BasicTensor<S>& b) {
  return xg::where<S>(BoolArray(xt::not_equal(condition, std::uint8_t(0))), a, b);
}

namespace {

template <class S, class Compare>
BoolArray compare(const char* op, const BasicTensor<S>& a, const BasicTensor<S>& b, Compare c) {
  broadcast_shapes(op, a.shape(), b.shape());
  return c(a.value(), b.value());
}

}  // namespace

template <class S>
BoolArray eq(const BasicTensor<S>& a, const BasicTensor<S>& b) {
  return compare("eq", a, b, [](const auto& u, const auto& v) { return BoolArray(xt::equal(u, v)); });
}
template <class S>
BoolArray ne(const BasicTensor<S>& a, const BasicTensor<S>& b) {
  return compare("ne", a, b, [](const auto& u, const auto& v) { return BoolArray(xt::not_equal(u, v)); });
}
template <class S>
BoolArray lt(const BasicTensor<S>& a, const BasicTensor<S>& b) {
  return compare("lt", a, b, [](const auto& u, const auto& v) { return BoolArray(u < v); });
}
template <class S>
BoolArray le(const BasicTensor<S>& a, const BasicTensor<S>& b) {
  return compare("le", a, b, [](const auto& u, const auto& v) { return BoolArray(u <= v); });
}
template <class S>
BoolArray gt(const BasicTensor<S>& a, const BasicTensor<S>& b) {
  return compare("gt", a, b, [](const auto& u, const auto& v) { return BoolArray(u > v); });
}
template <class S>
BoolArray ge(const BasicTensor<S>& a, const BasicTensor<S>& b) {
  return compare("ge", a, b, [](const auto& u, const auto& v) { return BoolArray(u >= v); });
}
template <class S>
BoolArray eq(const BasicTensor<S>& a, Scalar_t<S> b) {
  return xt::equal(a.value(), b);
}
template <class S>
BoolArray ne(const BasicTensor<S>& a, Scalar_t<S> b) {
  return xt::not_equal(a.value(), b);
}
template <class S>
BoolArray lt(const BasicTensor<S>& a, Scalar_t<S> b) {
  return a.value() < b;
}
template <class S>
BoolArray le(const BasicTensor<S>& a, Scalar_t<S> b) {
  return a.value() <= b;
}
template <class S>
BoolArray gt(const BasicTensor<S>& a, Scalar_t<S> b) {
  return a.value() > b;
}
template <class S>
BoolArray ge(const BasicTensor<S>& a, Scalar_t<S> b) {
  return a.value() >= b;
}

#define XGRAD_INSTANTIATE_COMPARISON(S, name)                            \
  template BoolArray name(const BasicTensor<S>&, const BasicTensor<S>&); \
  template BoolArray name(const BasicTensor<S>&, Scalar_t<S>);
#define XGRAD_INSTANTIATE_COMPARISONS(S) \
  XGRAD_INSTANTIATE_COMPARISON(S, eq)    \
  XGRAD_INSTANTIATE_COMPARISON(S, ne)    \
  XGRAD_INSTANTIATE_COMPARISON(S, lt)    \
  XGRAD_INSTANTIATE_COMPARISON(S, le)    \
  XGRAD_INSTANTIATE_COMPARISON(S, gt)    \
  XGRAD_INSTANTIATE_COMPARISON(S, ge)
XGRAD_INSTANTIATE_COMPARISONS(float)
XGRAD_INSTANTIATE_COMPARISONS(double)

#define XGRAD_INSTANTIATE(S)                                                                                    \
  template BasicTensor<S> where(const BoolArray&, const BasicTensor<S>&, const BasicTensor<S>&);                \
  template BasicTensor<S> where(const xt::xarray<std::uint8_t>&, const BasicTensor<S>&, const BasicTensor<S>&); \
  template BasicTensor<S> pow(const BasicTensor<S>&, double);                                                   \
  template BasicTensor<S> exp(const BasicTensor<S>&);                                                           \
  template BasicTensor<S> log(const BasicTensor<S>&);                                                           \
  template BasicTensor<S> log1p(const BasicTensor<S>&);                                                         \
  template BasicTensor<S> expm1(const BasicTensor<S>&);                                                         \
  template BasicTensor<S> sqrt(const BasicTensor<S>&);                                                          \
  template BasicTensor<S> sin(const BasicTensor<S>&);                                                           \
  template BasicTensor<S> cos(const BasicTensor<S>&);                                                           \
  template BasicTensor<S> abs(const BasicTensor<S>&);                                                           \
  template BasicTensor<S> clamp(const BasicTensor<S>&, double, double);                                         \
  template BasicTensor<S> maximum(const BasicTensor<S>&, const BasicTensor<S>&);                                \
  template BasicTensor<S> minimum(const BasicTensor<S>&, const BasicTensor<S>&);
XGRAD_INSTANTIATE(float)
XGRAD_INSTANTIATE(double)

}  // namespace xg
