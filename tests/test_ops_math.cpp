// The math ops of issue #15: log1p, expm1 and the activations softplus, gelu,
// silu, elu, leaky_relu. Forward values against the formulas written here
// with <cmath>, in float and double; gradients by gradcheck in float64 and
// against the derivatives written here; bad options name the op.

#include <doctest/doctest.h>

#include <cmath>
#include <functional>
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
    check_elementwise<S>(
        [beta](const T<S>& t) { return xg::softplus(t, beta); },
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
  check_elementwise<S>(
      [](const T<S>& t) { return xg::gelu(t, "tanh"); },
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
  for (const auto& [name, fn] : ops) {
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
