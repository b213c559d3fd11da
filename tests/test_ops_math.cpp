// The math ops of issue #15: log1p, expm1, the activations softplus, gelu,
// silu, elu, leaky_relu; min, logsumexp, var, std, argmax, argmin; where and
// the comparisons; batched matmul and bmm. Forward values against the
// formulas and loops written here, in float and double; gradients by
// gradcheck in float64 over every axis; bad input names the op and shapes.

#include <doctest/doctest.h>

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <functional>
#include <limits>
#include <numbers>
#include <string>
#include <vector>

#include <xgrad/xgrad.hpp>

#include "exception_message.hpp"

namespace {

using xg::Tensor64;
using Inputs = std::vector<Tensor64>;
using Fn = std::function<Tensor64(const Inputs&)>;

template <class S>
using T = xg::BasicTensor<S>;

// Points on both sides of 0 and past softplus's threshold, none at a kink.
const std::vector<double> points = {-30.0, -4.5, -1.25, -0.3, -1e-4, 2e-4, 0.4, 1.1, 3.7, 25.0};

template <class S>
T<S> points_tensor(bool requires_grad = false) {
  xg::Array<S> a = xg::Array<S>::from_shape({points.size()});
  for (std::size_t i = 0; i < points.size(); ++i) a(i) = static_cast<S>(points[i]);
  return T<S>(a, requires_grad);
}

// op(x) against f(x) elementwise, and the gradient of sum(op(x)) against f'(x).
template <class S>
void check_elementwise(const std::function<T<S>(const T<S>&)>& op, const std::function<double(double)>& f,
                       const std::function<double(double)>& df, double tolerance) {
  T<S> x = points_tensor<S>(true);
  T<S> y = op(x);
  xg::sum(y).backward();
  for (std::size_t i = 0; i < points.size(); ++i) {
    CAPTURE(points[i]);
    CHECK(y.value()(i) == doctest::Approx(f(points[i])).epsilon(tolerance));
    CHECK(x.grad()(i) == doctest::Approx(df(points[i])).epsilon(tolerance));
  }
}

void check_gradients(const Fn& fn, const Inputs& inputs) {
  const auto result = xg::autograd::gradcheck(fn, inputs);
  CHECK_MESSAGE(result.passed, result.message);
}

template <class F>
std::string message(F&& f) {
  return xg::testing::message_of<std::invalid_argument>(std::forward<F>(f));
}

double sigmoid(double x) { return 1.0 / (1.0 + std::exp(-x)); }

}  // namespace

TEST_CASE_TEMPLATE("ops math: log1p and expm1 keep the digits of small arguments", S, float, double) {
  const double tolerance = std::is_same_v<S, float> ? 1e-6 : 1e-14;
  auto small = T<S>(xg::Array<S>{S(1e-10), S(-3e-9)}, true);
  auto y = xg::log1p(small);
  // log(1 + x) = x - x^2 / 2 + ...: at 1e-10 the second term is below rounding.
  CHECK(y.value()(0) == doctest::Approx(1e-10).epsilon(tolerance));
  CHECK(y.value()(1) == doctest::Approx(-3e-9).epsilon(tolerance));
  CHECK(xg::expm1(small).value()(0) == doctest::Approx(1e-10).epsilon(tolerance));
  check_elementwise<S>([](const T<S>& t) { return xg::log1p(xg::abs(t)); },
                       [](double v) { return std::log(1 + std::abs(v)); },
                       [](double v) { return (v > 0 ? 1 : -1) / (1 + std::abs(v)); }, tolerance * 10);
  check_elementwise<S>([](const T<S>& t) { return xg::expm1(xg::clamp(t, -10.0, 10.0)); },
                       [](double v) { return std::exp(std::clamp(v, -10.0, 10.0)) - 1; },
                       [](double v) { return std::abs(v) <= 10 ? std::exp(v) : 0.0; }, tolerance * 10);
}

TEST_CASE_TEMPLATE("ops math: softplus as torch, with beta and threshold", S, float, double) {
  const double tolerance = std::is_same_v<S, float> ? 1e-5 : 1e-12;
  for (double beta : {1.0, 0.5, 2.0}) {
    CAPTURE(beta);
    const double threshold = 20.0;
    check_elementwise<S>([beta](const T<S>& t) { return xg::softplus(t, beta); },
                         [=](double v) { return v * beta > threshold ? v : std::log(1 + std::exp(beta * v)) / beta; },
                         [=](double v) { return v * beta > threshold ? 1.0 : sigmoid(beta * v); }, tolerance);
  }
  // Past the threshold the input comes through unchanged (torch returns x there).
  auto x = T<S>(xg::Array<S>{S(3)});
  CHECK(xg::softplus(x, 1.0, 2.0).value()(0) == S(3));
  CHECK(xg::softplus(T<S>(xg::Array<S>{S(-1000), S(1000)})).value()(0) == S(0));
  CHECK(xg::softplus(T<S>(xg::Array<S>{S(-1000), S(1000)})).value()(1) == S(1000));
}

TEST_CASE_TEMPLATE("ops math: gelu exact against 0.5 x (1 + erf(x / sqrt 2)) and tanh form", S, float, double) {
  const double tolerance = std::is_same_v<S, float> ? 1e-5 : 1e-12;
  const double pi = std::numbers::pi;
  check_elementwise<S>([](const T<S>& t) { return xg::gelu(t); },
                       [](double v) { return 0.5 * v * (1 + std::erf(v / std::sqrt(2.0))); },
                       [pi](double v) {
                         return 0.5 * (1 + std::erf(v / std::sqrt(2.0))) + v * std::exp(-v * v / 2) / std::sqrt(2 * pi);
                       },
                       tolerance);
  const double k = std::sqrt(2 / pi);
  check_elementwise<S>([](const T<S>& t) { return xg::gelu(t, "tanh"); },
                       [k](double v) { return 0.5 * v * (1 + std::tanh(k * (v + 0.044715 * v * v * v))); },
                       [k](double v) {
                         const double u = k * (v + 0.044715 * v * v * v);
                         const double du = k * (1 + 3 * 0.044715 * v * v);
                         return 0.5 * (1 + std::tanh(u)) + 0.5 * v * du / (std::cosh(u) * std::cosh(u));
                       },
                       tolerance);
}

TEST_CASE_TEMPLATE("ops math: silu, elu and leaky_relu values and derivatives", S, float, double) {
  const double tolerance = std::is_same_v<S, float> ? 1e-5 : 1e-12;
  check_elementwise<S>([](const T<S>& t) { return xg::silu(t); }, [](double v) { return v * sigmoid(v); },
                       [](double v) { return sigmoid(v) + v * sigmoid(v) * (1 - sigmoid(v)); }, tolerance);
  for (double alpha : {1.0, 0.3}) {
    CAPTURE(alpha);
    check_elementwise<S>([alpha](const T<S>& t) { return xg::elu(t, alpha); },
                         [alpha](double v) { return v > 0 ? v : alpha * (std::exp(v) - 1); },
                         [alpha](double v) { return v > 0 ? 1.0 : alpha * std::exp(v); }, tolerance);
  }
  for (double slope : {0.01, 0.2}) {
    CAPTURE(slope);
    check_elementwise<S>([slope](const T<S>& t) { return xg::leaky_relu(t, slope); },
                         [slope](double v) { return v > 0 ? v : slope * v; },
                         [slope](double v) { return v > 0 ? 1.0 : slope; }, tolerance);
  }
  // The default slope is torch's 0.01.
  CHECK(xg::leaky_relu(T<S>(xg::Array<S>{S(-2)})).value()(0) == doctest::Approx(-0.02));
}

TEST_CASE("ops math: the activations keep NaN and saturate without overflow") {
  const double nan = std::nan("");
  auto x = xg::tensor<double>(xg::Array<double>{nan, -800.0, 800.0});
  for (const auto& y : {xg::silu(x), xg::elu(x), xg::leaky_relu(x), xg::gelu(x), xg::gelu(x, "tanh")}) {
    CAPTURE(y.op());
    CHECK(std::isnan(y.value()(0)));
    CHECK(std::isfinite(y.value()(1)));
    CHECK(y.value()(2) == 800.0);
  }
  CHECK(std::isnan(xg::softplus(x).value()(0)));
}

TEST_CASE("ops math: gradcheck of the activations in float64") {
  xg::Generator gen(15);
  // Kinks of elu and leaky_relu at 0 are avoided by a margin.
  Tensor64 x = xg::uniform<double>({3, 4}, 0.1, 3.0, true, gen);
  for (std::size_t i = 0; i < x.numel(); i += 2) x.value().data()[i] *= -1;
  const std::vector<std::pair<const char*, Fn>> ops = {
      {"log1p", [](const Inputs& in) { return xg::log1p(xg::abs(in[0])); }},
      {"expm1", [](const Inputs& in) { return xg::expm1(in[0]); }},
      {"softplus", [](const Inputs& in) { return xg::softplus(in[0]); }},
      {"softplus beta 2 threshold 1", [](const Inputs& in) { return xg::softplus(in[0], 2.0, 1.0); }},
      {"gelu", [](const Inputs& in) { return xg::gelu(in[0]); }},
      {"gelu tanh", [](const Inputs& in) { return xg::gelu(in[0], "tanh"); }},
      {"silu", [](const Inputs& in) { return xg::silu(in[0]); }},
      {"elu", [](const Inputs& in) { return xg::elu(in[0], 0.7); }},
      {"leaky_relu", [](const Inputs& in) { return xg::leaky_relu(in[0], 0.1); }},
  };
  for (const auto& item : ops) {
    const auto& name = item.first;  // not a structured binding: clang 14 cannot capture one
    const auto& fn = item.second;
    CAPTURE(name);
    check_gradients(fn, {x});
  }
}

TEST_CASE("ops math: invalid activation options throw naming the op and the value") {
  auto x = xg::zeros({2});
  CHECK(message([&] { xg::gelu(x, "fast"); }) == "gelu: approximate must be \"none\" or \"tanh\", got \"fast\"");
  CHECK(message([&] { xg::softplus(x, 0.0); }) == "softplus: beta must be positive and finite, got 0");
  CHECK(message([&] { xg::softplus(x, 1.0, std::nan("")); }) == "softplus: threshold is NaN");
  CHECK(message([&] { xg::elu(x, std::nan("")); }) == "elu: alpha is NaN");
  CHECK(message([&] { xg::leaky_relu(x, std::nan("")); }) == "leaky_relu: negative_slope is NaN");
}

namespace {

// x(i, j, k) = a fixed, tie-free pattern: values from the test's own arithmetic.
Tensor64 pattern(const xg::Shape& shape, bool requires_grad = true) {
  auto a = xg::Array<double>::from_shape(shape);
  for (std::size_t i = 0; i < a.size(); ++i) a.data()[i] = std::sin(1.7 * static_cast<double>(i) + 0.3) * 2.0;
  return Tensor64(a, requires_grad);
}

}  // namespace

TEST_CASE("ops math: min, logsumexp, var and std over each axis against loops written here") {
  const Tensor64 x = pattern({2, 3, 4});
  const auto& v = x.value();
  for (long axis = 0; axis < 3; ++axis) {
    CAPTURE(axis);
    const auto mn = xg::min(x, {axis}).value();
    const auto lse = xg::logsumexp(x, {axis}).value();
    const auto var = xg::var(x, {axis}).value();
    const auto var0 = xg::var(x, {axis}, false, 0.0).value();
    const auto sd = xg::std(x, {axis}, true).value();
    const std::size_t n = x.shape()[static_cast<std::size_t>(axis)];
    std::size_t out = 0;
    for (std::size_t i = 0; i < 2; ++i)
      for (std::size_t j = 0; j < 3; ++j)
        for (std::size_t k = 0; k < 4; ++k) {
          // Only the (i, j, k) whose coordinate along `axis` is 0 start a lane.
          const std::size_t start[] = {i, j, k};
          if (start[axis] != 0) continue;
          std::vector<double> lane;
          for (std::size_t t = 0; t < n; ++t) {
            std::size_t c[] = {i, j, k};
            c[axis] = t;
            lane.push_back(v(c[0], c[1], c[2]));
          }
          double lo = lane[0], sum = 0, exps = 0;
          for (double e : lane) lo = std::min(lo, e), sum += e, exps += std::exp(e);
          const double mean = sum / static_cast<double>(n);
          double squares = 0;
          for (double e : lane) squares += (e - mean) * (e - mean);
          CHECK(mn.data()[out] == lo);
          CHECK(lse.data()[out] == doctest::Approx(std::log(exps)).epsilon(1e-13));
          CHECK(var.data()[out] == doctest::Approx(squares / static_cast<double>(n - 1)).epsilon(1e-13));
          CHECK(var0.data()[out] == doctest::Approx(squares / static_cast<double>(n)).epsilon(1e-13));
          CHECK(sd.data()[out] == doctest::Approx(std::sqrt(squares / static_cast<double>(n - 1))).epsilon(1e-13));
          ++out;
        }
    CHECK(out == 24 / n);
    CHECK(xg::shape_to_string(xg::std(x, {axis}, true).shape()) == xg::shape_to_string(axis == 0 ? xg::Shape{1, 3, 4}
                                                                                       : axis == 1
                                                                                           ? xg::Shape{2, 1, 4}
                                                                                           : xg::Shape{2, 3, 1}));
  }
  // Whole tensor: var with Bessel's correction over all 24 values.
  double sum = 0;
  for (double e : v) sum += e;
  double squares = 0;
  for (double e : v) squares += (e - sum / 24) * (e - sum / 24);
  CHECK(xg::var(x).item() == doctest::Approx(squares / 23).epsilon(1e-13));
  CHECK(xg::std(x).item() == doctest::Approx(std::sqrt(squares / 23)).epsilon(1e-13));
  CHECK(xg::min(x).item() == *std::min_element(v.begin(), v.end()));
}

TEST_CASE("ops math: logsumexp does not overflow, and a lane of -inf gives -inf as torch") {
  auto big = xg::tensor<double>(xg::Array<double>{1000.0, 1000.0});
  CHECK(xg::logsumexp(big, {0}).item() == doctest::Approx(1000.0 + std::log(2.0)).epsilon(1e-15));
  const double inf = std::numeric_limits<double>::infinity();
  auto none = xg::tensor<double>(xg::Array<double>{-inf, -inf});
  CHECK(xg::logsumexp(none, {0}).item() == -inf);
  auto x = xg::tensor<float>(xg::Array<float>{1e4f, 1e4f + 1.0f}, true);
  auto y = xg::logsumexp(x, {-1});
  y.backward();
  const double e = std::exp(1.0);
  // x - y is taken at 1e4, where float's spacing is 1e-3.
  CHECK(x.grad()(0) == doctest::Approx(1 / (1 + e)).epsilon(1e-3));
  CHECK(x.grad()(1) == doctest::Approx(e / (1 + e)).epsilon(1e-3));
}

TEST_CASE("ops math: gradcheck of min, logsumexp, var and std over every axis set, keepdims or not") {
  const Tensor64 x = pattern({2, 3, 4});
  const std::vector<std::vector<long>> axes_sets = {{0}, {1}, {2}, {-1}, {0, 2}, {0, 1, 2}};
  for (const auto& axes : axes_sets)
    for (bool keep : {false, true}) {
      CAPTURE(axes.size());
      CAPTURE(axes[0]);
      CAPTURE(keep);
      check_gradients([&](const Inputs& in) { return xg::min(in[0], axes, keep); }, {x});
      check_gradients([&](const Inputs& in) { return xg::logsumexp(in[0], axes, keep); }, {x});
      check_gradients([&](const Inputs& in) { return xg::var(in[0], axes, keep); }, {x});
      check_gradients([&](const Inputs& in) { return xg::var(in[0], axes, keep, 0.0); }, {x});
      check_gradients([&](const Inputs& in) { return xg::std(in[0], axes, keep); }, {x});
      check_gradients([&](const Inputs& in) { return xg::std(in[0], axes, keep, 0.5); }, {x});
    }
  check_gradients([](const Inputs& in) { return xg::min(in[0]); }, {x});
  check_gradients([](const Inputs& in) { return xg::var(in[0]); }, {x});
  check_gradients([](const Inputs& in) { return xg::std(in[0]); }, {x});
}

TEST_CASE("ops math: min splits ties evenly, and var refuses a correction that leaves nothing") {
  auto x = xg::tensor<double>(xg::Array<double>{2.0, 1.0, 1.0}, true);
  xg::min(x).backward();
  CHECK(x.grad()(0) == 0.0);
  CHECK(x.grad()(1) == 0.5);
  CHECK(x.grad()(2) == 0.5);
  auto one = xg::zeros<double>({3, 1});
  CHECK(message([&] { xg::var(one, {1}); }) ==
        "var: correction 1 leaves no degrees of freedom over 1 elements (input shape (3, 1))");
  CHECK(message([&] { xg::std(one, {0}, false, 3.0); }) ==
        "std: correction 3 leaves no degrees of freedom over 3 elements (input shape (3, 1))");
  CHECK(message([&] {
          xg::min(xg::zeros<double>({0, 2}), {0});
        }) == "min: cannot reduce over an empty extent (input shape (0, 2))");
  CHECK(message([&] { xg::logsumexp(one, {2}); }) ==
        "logsumexp: axis 2 is out of range for a 2-D tensor (valid: -2 to 1)");
}

TEST_CASE_TEMPLATE("ops math: argmax and argmin, whole and along an axis, first of ties, NaN first", S, float, double) {
  // [[3, 7, 7],
  //  [9, 0, 0]]
  auto x = T<S>(xg::Array<S>{{3, 7, 7}, {9, 0, 0}});
  CHECK(xg::argmax(x)() == 3);
  CHECK(xg::argmin(x)() == 4);
  CHECK(xg::argmax(x).dimension() == 0);
  const xg::IndexArray rows = xg::argmax(x, 1);
  CHECK(rows == xg::IndexArray{1, 0});
  CHECK(xg::argmin(x, -1) == xg::IndexArray{0, 1});
  CHECK(xg::argmax(x, 0) == xg::IndexArray{1, 0, 0});
  const xg::IndexArray kept = xg::argmin(x, 0, true);
  CHECK(xg::shape_to_string(kept.shape()) == "(1, 3)");
  CHECK(kept == xg::IndexArray{{0, 1, 1}});
  auto with_nan = T<S>(xg::Array<S>{1, std::numeric_limits<S>::quiet_NaN(), 5});
  CHECK(xg::argmax(with_nan)() == 1);
  CHECK(xg::argmin(with_nan)() == 1);
  CHECK(message([] {
          xg::argmax(T<S>(xg::Array<S>::from_shape({2, 0})), 1);
        }) == "argmax: cannot take the index of an extremum over an empty axis 1 (input shape (2, 0))");
}

TEST_CASE_TEMPLATE("ops math: comparisons broadcast and return booleans; operators < <= > >=", S, float, double) {
  auto a = T<S>(xg::Array<S>{{1, 2, 3}, {4, 5, 6}});
  auto b = T<S>(xg::Array<S>{2, 2, 7});
  CHECK(xg::eq(a, b) == xg::BoolArray{{false, true, false}, {false, false, false}});
  CHECK(xg::ne(a, b) == xg::BoolArray{{true, false, true}, {true, true, true}});
  CHECK(xg::lt(a, b) == xg::BoolArray{{true, false, true}, {false, false, true}});
  CHECK((a <= b) == xg::BoolArray{{true, true, true}, {false, false, true}});
  CHECK((a > b) == xg::BoolArray{{false, false, false}, {true, true, false}});
  CHECK(xg::ge(a, b) == xg::BoolArray{{false, true, false}, {true, true, false}});
  CHECK((a > S(3)) == xg::BoolArray{{false, false, false}, {true, true, true}});
  CHECK((S(3) > a) == xg::BoolArray{{true, true, false}, {false, false, false}});
  CHECK(xg::eq(a, S(5)) == xg::BoolArray{{false, false, false}, {false, true, false}});
  CHECK(xg::testing::message_of<xg::ShapeError>([&] {
          xg::lt(a, T<S>(xg::Array<S>{1, 2}));
        }) == "lt: cannot broadcast (2, 3) with (2,)");
}

TEST_CASE("ops math: where picks and routes the gradient, broadcasting, from booleans or bytes") {
  auto a = xg::tensor<double>(xg::Array<double>{{1, 2, 3}, {4, 5, 6}}, true);
  auto b = xg::tensor<double>(xg::Array<double>{10, 20, 30}, true);
  auto y = xg::where(a > 2.5, a, b);
  CHECK(y.value() == xg::Array<double>{{10, 20, 3}, {4, 5, 6}});
  y.backward(xg::Array<double>{{1, 2, 3}, {4, 5, 6}});
  CHECK(a.grad() == xg::Array<double>{{0, 0, 3}, {4, 5, 6}});
  CHECK(b.grad() == xg::Array<double>{1, 2, 0});
  const xt::xarray<std::uint8_t> bytes{0, 7, 0};
  CHECK(xg::where(bytes, a, b).value() == xg::Array<double>{{10, 2, 30}, {10, 5, 30}});
  check_gradients([](const Inputs& in) { return xg::where(in[0] < 0.0, in[0] * 2.0, in[1]); },
                  {pattern({2, 3}), pattern({2, 1})});
  CHECK(xg::testing::message_of<xg::ShapeError>([&] {
          xg::where(xg::BoolArray{true, false}, a, b);
        }) == "where: cannot broadcast (2,) with (2, 3)");
}

TEST_CASE_TEMPLATE("ops math: batched matmul and bmm against a triple loop written here", S, float, double) {
  const double tolerance = std::is_same_v<S, float> ? 1e-5 : 1e-12;
  xg::Generator gen(7);
  auto naive = [](const xg::Array<S>& a, const xg::Array<S>& b, std::size_t batch, std::size_t m, std::size_t k,
                  std::size_t n, bool a_shared, bool b_shared) {
    auto c = xg::Array<double>::from_shape({batch, m, n});
    for (std::size_t i = 0; i < batch; ++i)
      for (std::size_t r = 0; r < m; ++r)
        for (std::size_t col = 0; col < n; ++col) {
          double total = 0;
          for (std::size_t t = 0; t < k; ++t)
            total += double(a.data()[(a_shared ? 0 : i * m * k) + r * k + t]) *
                     double(b.data()[(b_shared ? 0 : i * k * n) + t * n + col]);
          c(i, r, col) = total;
        }
    return c;
  };
  struct Case {
    xg::Shape a, b;
  };
  for (const auto& item : std::vector<Case>{{{3, 2, 4}, {3, 4, 5}},
                                            {{3, 2, 4}, {4, 5}},
                                            {{2, 4}, {3, 4, 5}},
                                            {{1, 2, 4}, {3, 4, 5}},
                                            {{3, 2, 4}, {1, 4, 5}}}) {
    const auto& sa = item.a;  // not a structured binding: clang 14 cannot capture one
    const auto& sb = item.b;
    CAPTURE(xg::shape_to_string(sa));
    CAPTURE(xg::shape_to_string(sb));
    auto a = xg::randn<S>(sa, false, gen), b = xg::randn<S>(sb, false, gen);
    auto c = xg::matmul(a, b);
    REQUIRE(xg::shape_to_string(c.shape()) == "(3, 2, 5)");
    const auto expected =
        naive(a.value(), b.value(), 3, 2, 4, 5, sa.size() == 2 || sa[0] == 1, sb.size() == 2 || sb[0] == 1);
    for (std::size_t i = 0; i < expected.size(); ++i)
      CHECK(c.value().data()[i] == doctest::Approx(expected.data()[i]).epsilon(tolerance));
    check_gradients([](const Inputs& in) { return xg::matmul(in[0], in[1]); },
                    {xg::randn<double>(sa, true, gen), xg::randn<double>(sb, true, gen)});
  }
  check_gradients([](const Inputs& in) { return xg::bmm(in[0], in[1]); },
                  {xg::randn<double>({2, 3, 4}, true, gen), xg::randn<double>({2, 4, 1}, true, gen)});
  // A 1-D side: (3, 2, 4) x (4,) is (3, 2) and (4,) x (3, 4, 5) is (3, 5), as torch.matmul.
  CHECK(xg::shape_to_string(xg::matmul(xg::randn<S>({3, 2, 4}), xg::randn<S>({4})).shape()) == "(3, 2)");
  CHECK(xg::shape_to_string(xg::matmul(xg::randn<S>({4}), xg::randn<S>({3, 4, 5})).shape()) == "(3, 5)");
  check_gradients([](const Inputs& in) { return xg::matmul(in[0], in[1]); },
                  {xg::randn<double>({3, 2, 4}, true, gen), xg::randn<double>({4}, true, gen)});
  check_gradients([](const Inputs& in) { return xg::matmul(in[0], in[1]); },
                  {xg::randn<double>({4}, true, gen), xg::randn<double>({3, 4, 5}, true, gen)});
}

TEST_CASE("ops math: bmm and batched matmul errors name the op and both shapes") {
  auto shape_message = [](auto f) { return xg::testing::message_of<xg::ShapeError>(f); };
  CHECK(shape_message([] {
          xg::bmm(xg::zeros({3, 2, 4}), xg::zeros({4, 4, 5}));
        }) == "bmm: batch sizes 3 and 4 differ (shapes (3, 2, 4) and (4, 4, 5))");
  CHECK(shape_message([] {
          xg::bmm(xg::zeros({3, 2, 4}), xg::zeros({3, 5, 5}));
        }) == "bmm: cannot multiply (3, 2, 4) by (3, 5, 5)");
  CHECK(shape_message([] {
          xg::bmm(xg::zeros({2, 4}), xg::zeros({3, 4, 5}));
        }) == "bmm: expects a 3-D first operand, got shape (2, 4)");
  CHECK(shape_message([] {
          xg::matmul(xg::zeros({3, 2, 4}), xg::zeros({2, 4, 5}));
        }) == "matmul: batch sizes 3 and 2 differ (shapes (3, 2, 4) and (2, 4, 5))");
  CHECK(shape_message([] {
          xg::matmul(xg::zeros({3, 2, 4}), xg::zeros({5, 2}));
        }) == "matmul: cannot multiply (3, 2, 4) by (5, 2)");
  CHECK(shape_message([] {
          xg::matmul(xg::zeros({1, 3, 2, 4}), xg::zeros({4, 2}));
        }) == "matmul: supports 1-D, 2-D and 3-D operands, got (1, 3, 2, 4) and (4, 2)");
}

TEST_CASE("ops math: an empty batch gives a shared operand a zero gradient") {
  auto a = xg::zeros<double>({0, 2, 4}, true);
  auto b = xg::ones<double>({4, 5}, true);
  xg::sum(xg::matmul(a, b)).backward();
  for (double g : b.grad()) CHECK(g == 0.0);
}
