// Every op's backward against central differences of its forward, in float64,
// on the full Jacobian: broadcasting in both directions, each axis of each
// reduction, each 1-D/2-D matmul combination. And gradcheck itself: it must
// catch a wrong backward and say where.

#include <doctest/doctest.h>

#include <cmath>
#include <string>
#include <vector>

#include <xgrad/autograd/function.hpp>
#include <xgrad/xgrad.hpp>

namespace {

using xg::Shape;
using xg::Tensor64;
using Inputs = std::vector<Tensor64>;
using Fn = std::function<Tensor64(const Inputs&)>;

// A leaf requiring grad, uniform in [low, high).
Tensor64 leaf(const Shape& shape, xg::Generator& gen, double low = -2.0, double high = 2.0) {
  return xg::uniform<double>(shape, low, high, true, gen);
}

// A leaf with both signs but no element closer to 0 than 0.5, for ops with a
// kink or a pole at 0.
Tensor64 away_from_zero(const Shape& shape, xg::Generator& gen) {
  Tensor64 t = leaf(shape, gen, 0.5, 2.0);
  for (std::size_t i = 0; i < t.numel(); ++i)
    if (gen.uniform() < 0.5) t.value().data()[i] *= -1;
  return t;
}

void check_gradients(const Fn& fn, const Inputs& inputs) {
  const auto result = xg::autograd::gradcheck(fn, inputs);
  CHECK_MESSAGE(result.passed, result.message);
}

const std::vector<std::pair<Shape, Shape>> broadcast_pairs = {
    {{2, 3}, {2, 3}}, {{3, 1}, {1, 4}}, {{2, 3}, {3}},       {{3}, {2, 3}},       {{}, {2, 3}},
    {{2, 3}, {}},     {{}, {}},         {{2, 1, 3}, {4, 1}}, {{4, 1}, {2, 1, 3}},
};

}  // namespace

TEST_CASE("gradcheck: add, sub, mul, div with every broadcasting pattern") {
  xg::Generator gen(1);
  for (const auto& pair : broadcast_pairs) {
    const Shape& sa = pair.first;  // not a structured binding: clang 14 cannot capture one in CAPTURE
    const Shape& sb = pair.second;
    CAPTURE(xg::shape_to_string(sa));
    CAPTURE(xg::shape_to_string(sb));
    const Inputs in = {leaf(sa, gen), leaf(sb, gen)};
    check_gradients([](const Inputs& x) { return x[0] + x[1]; }, in);
    check_gradients([](const Inputs& x) { return x[0] - x[1]; }, in);
    check_gradients([](const Inputs& x) { return x[0] * x[1]; }, in);
    check_gradients([](const Inputs& x) { return x[0] / x[1]; }, {leaf(sa, gen), away_from_zero(sb, gen)});
  }
}

TEST_CASE("gradcheck: a broadcast operand that does not require grad is held fixed") {
  xg::Generator gen(2);
  const Tensor64 fixed = xg::uniform<double>({3, 1}, -1, 1, false, gen);
  check_gradients([&](const Inputs& x) { return x[0] * fixed; }, {leaf({1, 4}, gen)});
  check_gradients([](const Inputs& x) { return x[0] - x[1]; }, {leaf({2, 3}, gen), xg::ones<double>({3})});
}

TEST_CASE("gradcheck: tensor-scalar operators in both orders, and negation") {
  xg::Generator gen(3);
  const Inputs in = {leaf({2, 3}, gen)};
  const Inputs nonzero = {away_from_zero({2, 3}, gen)};
  check_gradients([](const Inputs& x) { return x[0] + 2.5; }, in);
  check_gradients([](const Inputs& x) { return 2.5 + x[0]; }, in);
  check_gradients([](const Inputs& x) { return x[0] - 1.5; }, in);
  check_gradients([](const Inputs& x) { return 1.5 - x[0]; }, in);
  check_gradients([](const Inputs& x) { return x[0] * -3.0; }, in);
  check_gradients([](const Inputs& x) { return -3.0 * x[0]; }, in);
  check_gradients([](const Inputs& x) { return x[0] / 4.0; }, in);
  check_gradients([](const Inputs& x) { return 4.0 / x[0]; }, nonzero);
  check_gradients([](const Inputs& x) { return -x[0]; }, in);
}

TEST_CASE("gradcheck: pow for integer, fractional, negative and zero exponents") {
  xg::Generator gen(4);
  const Inputs any_sign = {leaf({2, 3}, gen)};
  const Inputs positive = {leaf({2, 3}, gen, 0.3, 2.0)};
  for (double p : {0.0, 1.0, 2.0, 3.0}) {
    CAPTURE(p);
    check_gradients([p](const Inputs& x) { return xg::pow(x[0], p); }, any_sign);
  }
  for (double p : {0.5, 1.5, -1.0, -2.5}) {
    CAPTURE(p);
    check_gradients([p](const Inputs& x) { return xg::pow(x[0], p); }, positive);
  }
}

TEST_CASE("gradcheck: exp, log, sqrt, abs") {
  xg::Generator gen(5);
  check_gradients([](const Inputs& x) { return xg::exp(x[0]); }, {leaf({3, 2}, gen)});
  check_gradients([](const Inputs& x) { return xg::log(x[0]); }, {leaf({3, 2}, gen, 0.2, 3.0)});
  check_gradients([](const Inputs& x) { return xg::sqrt(x[0]); }, {leaf({3, 2}, gen, 0.2, 3.0)});
  check_gradients([](const Inputs& x) { return xg::abs(x[0]); }, {away_from_zero({3, 2}, gen)});
  check_gradients([](const Inputs& x) { return xg::exp(x[0]); }, {leaf({}, gen)});
}

TEST_CASE("gradcheck: sin, cos") {
  xg::Generator gen(6);
  check_gradients([](const Inputs& x) { return xg::sin(x[0]); }, {leaf({3, 2}, gen, -4.0, 4.0)});
  check_gradients([](const Inputs& x) { return xg::cos(x[0]); }, {leaf({3, 2}, gen, -4.0, 4.0)});
  check_gradients([](const Inputs& x) { return xg::sin(x[0]) * xg::cos(x[1]); },
                  {leaf({2, 3}, gen, -4.0, 4.0), leaf({2, 3}, gen, -4.0, 4.0)});
}

TEST_CASE("gradcheck: clamp with both bounds, only min, only max") {
  // Values straddle the bounds but none is within 0.05 of them.
  const Tensor64 x = xg::tensor<double>({{-1.7, -0.8, -0.3}, {0.2, 0.7, 1.9}}, true);
  check_gradients([](const Inputs& in) { return xg::clamp(in[0], -0.5, 0.5); }, {x});
  check_gradients([](const Inputs& in) { return xg::clamp(in[0], 0.0); }, {x});
  check_gradients([](const Inputs& in) { return xg::clamp(in[0], -std::numeric_limits<double>::infinity(), 0.0); },
                  {x});
}

TEST_CASE("gradcheck: maximum and minimum, broadcasting, and ties split evenly") {
  xg::Generator gen(6);
  for (const auto& pair : broadcast_pairs) {
    const Shape& sa = pair.first;  // not a structured binding: clang 14 cannot capture one in CAPTURE
    const Shape& sb = pair.second;
    CAPTURE(xg::shape_to_string(sa));
    CAPTURE(xg::shape_to_string(sb));
    const Inputs in = {leaf(sa, gen), leaf(sb, gen)};
    check_gradients([](const Inputs& x) { return xg::maximum(x[0], x[1]); }, in);
    check_gradients([](const Inputs& x) { return xg::minimum(x[0], x[1]); }, in);
  }
  // At a tie, a central difference moves the result by eps one way and 0 the
  // other: a slope of 1/2 for each operand, which is the even split.
  const Tensor64 a = xg::tensor<double>({1.0, -2.0, 3.0}, true);
  const Tensor64 b = xg::tensor<double>({1.0, 0.5, 3.0}, true);
  check_gradients([](const Inputs& x) { return xg::maximum(x[0], x[1]); }, {a, b});
  check_gradients([](const Inputs& x) { return xg::minimum(x[0], x[1]); }, {a, b});
}

TEST_CASE("gradcheck: tanh, sigmoid, relu") {
  xg::Generator gen(7);
  const Inputs in = {leaf({2, 3, 2}, gen, -3, 3)};
  check_gradients([](const Inputs& x) { return xg::tanh(x[0]); }, in);
  check_gradients([](const Inputs& x) { return xg::sigmoid(x[0]); }, in);
  check_gradients([](const Inputs& x) { return xg::relu(x[0]); }, {away_from_zero({2, 3, 2}, gen)});
  // Far out in the tails, where a naive sigmoid would overflow exp(-x).
  check_gradients([](const Inputs& x) { return xg::sigmoid(x[0]); },
                  {xg::tensor<double>({-40.0, -8.0, 8.0, 40.0}, true)});
}

TEST_CASE("gradcheck: softmax and log_softmax over each axis, negative axes included") {
  xg::Generator gen(8);
  const std::vector<Shape> shapes = {{5}, {3, 4}, {2, 3, 4}};
  for (const auto& shape : shapes) {
    const long rank = static_cast<long>(shape.size());
    const Inputs in = {leaf(shape, gen, -3, 3)};
    for (long axis = -rank; axis < rank; ++axis) {
      CAPTURE(xg::shape_to_string(shape));
      CAPTURE(axis);
      check_gradients([axis](const Inputs& x) { return xg::softmax(x[0], axis); }, in);
      check_gradients([axis](const Inputs& x) { return xg::log_softmax(x[0], axis); }, in);
    }
  }
}

TEST_CASE("gradcheck: sum, mean and max over all elements, each axis, several axes, with and without keepdims") {
  xg::Generator gen(9);
  const std::vector<Shape> shapes = {{}, {4}, {3, 4}, {2, 3, 4}};
  for (const auto& shape : shapes) {
    CAPTURE(xg::shape_to_string(shape));
    const Inputs in = {leaf(shape, gen)};
    check_gradients([](const Inputs& x) { return xg::sum(x[0]); }, in);
    check_gradients([](const Inputs& x) { return xg::mean(x[0]); }, in);
    check_gradients([](const Inputs& x) { return xg::max(x[0]); }, in);
    std::vector<std::vector<long>> axis_sets;
    for (long a = 0; a < static_cast<long>(shape.size()); ++a) axis_sets.push_back({a});
    if (shape.size() == 3) axis_sets.insert(axis_sets.end(), {{0, 2}, {-1, -2}, {0, 1, 2}, {-3}});
    for (const auto& axes : axis_sets) {
      for (bool keepdims : {false, true}) {
        CAPTURE(axes.front());
        CAPTURE(axes.size());
        CAPTURE(keepdims);
        check_gradients([&](const Inputs& x) { return xg::sum(x[0], axes, keepdims); }, in);
        check_gradients([&](const Inputs& x) { return xg::mean(x[0], axes, keepdims); }, in);
        check_gradients([&](const Inputs& x) { return xg::max(x[0], axes, keepdims); }, in);
      }
    }
  }
}

TEST_CASE("gradcheck: max with two tied maxima splits the gradient between them") {
  // Two tied maxima each have a central-difference slope of 1/2.
  const Tensor64 x = xg::tensor<double>({{2.0, -1.0, 2.0}, {0.5, 3.0, 3.0}}, true);
  check_gradients([](const Inputs& in) { return xg::max(in[0], {1}); }, {x});
  check_gradients([](const Inputs& in) { return xg::max(in[0]); }, {xg::tensor<double>({1.0, 4.0, 4.0}, true)});
}

TEST_CASE("gradcheck: matmul with each 1-D/2-D combination") {
  xg::Generator gen(10);
  const std::vector<std::pair<Shape, Shape>> pairs = {
      {{2, 3}, {3, 4}}, {{3}, {3, 4}}, {{2, 3}, {3}}, {{3}, {3}}, {{1, 1}, {1, 1}}, {{4, 1}, {1, 5}},
  };
  for (const auto& pair : pairs) {
    const Shape& sa = pair.first;  // not a structured binding: clang 14 cannot capture one in CAPTURE
    const Shape& sb = pair.second;
    CAPTURE(xg::shape_to_string(sa));
    CAPTURE(xg::shape_to_string(sb));
    check_gradients([](const Inputs& x) { return xg::matmul(x[0], x[1]); }, {leaf(sa, gen), leaf(sb, gen)});
  }
  // The same operand on both sides: gradients from both uses add up.
  check_gradients([](const Inputs& x) { return xg::matmul(x[0], x[0]); }, {leaf({3, 3}, gen)});
}

TEST_CASE("gradcheck: transpose and reshape") {
  xg::Generator gen(11);
  check_gradients([](const Inputs& x) { return xg::transpose(x[0]); }, {leaf({2, 3}, gen)});
  check_gradients([](const Inputs& x) { return x[0].T(); }, {leaf({2, 3, 4}, gen)});
  check_gradients([](const Inputs& x) { return xg::reshape(x[0], {3, 2}); }, {leaf({2, 3}, gen)});
  check_gradients([](const Inputs& x) { return x[0].reshape({6}); }, {leaf({2, 3}, gen)});
  check_gradients([](const Inputs& x) { return x[0].reshape({}); }, {leaf({1, 1}, gen)});
}

TEST_CASE("gradcheck: concat along each axis, with inputs that do and don't require grad") {
  xg::Generator gen(12);
  check_gradients([](const Inputs& x) { return xg::concat(x, 0); },
                  {leaf({1, 3}, gen), leaf({2, 3}, gen), leaf({4, 3}, gen)});
  check_gradients([](const Inputs& x) { return xg::concat(x, 1); }, {leaf({2, 1}, gen), leaf({2, 3}, gen)});
  check_gradients([](const Inputs& x) { return xg::concat(x, -1); }, {leaf({2, 3, 1}, gen), leaf({2, 3, 2}, gen)});
  check_gradients([](const Inputs& x) { return xg::concat(x, 1); },
                  {leaf({2, 2, 3}, gen), leaf({2, 1, 3}, gen), leaf({2, 3, 3}, gen)});
  check_gradients([](const Inputs& x) { return xg::concat(x); }, {leaf({3}, gen)});
  const Tensor64 fixed = xg::ones<double>({2, 3});
  check_gradients(
      [&](const Inputs& x) {
        return xg::concat(std::vector<Tensor64>{fixed, x[0], fixed}, 0);
      },
      {leaf({1, 3}, gen)});
  // The same tensor twice: both copies send their gradient back.
  check_gradients(
      [](const Inputs& x) {
        return xg::concat(std::vector<Tensor64>{x[0], x[0]}, 1);
      },
      {leaf({2, 2}, gen)});
}

TEST_CASE("gradcheck: index_select with repeated indices, and gather") {
  xg::Generator gen(13);
  const std::vector<std::size_t> repeated = {2, 0, 2, 2};
  check_gradients([&](const Inputs& x) { return xg::index_select(x[0], repeated); }, {leaf({3, 4}, gen)});
  check_gradients([&](const Inputs& x) { return xg::index_select(x[0], repeated); }, {leaf({3}, gen)});
  check_gradients([&](const Inputs& x) { return xg::index_select(x[0], repeated); }, {leaf({4, 2, 3}, gen)});
  const std::vector<std::size_t> columns = {1, 3, 1};
  check_gradients([&](const Inputs& x) { return xg::gather(x[0], columns); }, {leaf({3, 4}, gen)});
}

TEST_CASE("gradcheck: compositions (cross-entropy, a linear layer, a diamond)") {
  xg::Generator gen(14);
  const std::vector<std::size_t> targets = {2, 0, 1};
  check_gradients([&](const Inputs& x) { return -xg::mean(xg::gather(xg::log_softmax(x[0], 1), targets)); },
                  {leaf({3, 4}, gen)});
  check_gradients([](const Inputs& x) { return xg::mean(xg::relu(xg::matmul(x[0], x[1]) + x[2])); },
                  {leaf({4, 3}, gen), leaf({3, 2}, gen), leaf({2}, gen)});
  check_gradients(
      [](const Inputs& x) {
        Tensor64 h = xg::tanh(x[0]);
        return xg::sum(h * xg::sigmoid(h) + xg::exp(h) / (h * h + 1.0), {0});
      },
      {leaf({3, 2}, gen)});
}

TEST_CASE("gradcheck: the Jacobian of a float64 op is exact enough for tight tolerances") {
  xg::Generator gen(15);
  const auto result = xg::autograd::gradcheck([](const Inputs& x) { return x[0] * x[1]; },
                                              {leaf({2, 2}, gen), leaf({2, 2}, gen)}, {.atol = 1e-8, .rtol = 1e-7});
  CHECK_MESSAGE(result.passed, result.message);
  CHECK(result.message.empty());
}

namespace {

// x^2 whose backward forgets the factor 2: d/dx comes out as x instead of 2x.
Tensor64 square_with_wrong_backward(const Tensor64& x) {
  xg::Array<double> y = x.value() * x.value();
  return xg::autograd::record<double>("wrong_square", std::move(y), {&x}, [](xg::Node<double>& self) {
    auto& in = *self.inputs[0];
    in.accumulate_grad(self.grad * in.value);
  });
}

}  // namespace

TEST_CASE("gradcheck: detects a wrong backward and names the input, the index and both values") {
  const Tensor64 a = xg::tensor<double>({0.5, -1.0}, true);
  const Tensor64 b = xg::tensor<double>({{1.0, -2.0}, {3.0, 0.5}}, true);
  const auto result = xg::autograd::gradcheck(
      [](const Inputs& x) { return xg::sum(x[0] * 2.0) + xg::sum(square_with_wrong_backward(x[1])); }, {a, b});
  CHECK_FALSE(result.passed);
  CHECK_FALSE(static_cast<bool>(result));
  // The error |x - 2x| = |x| against atol + rtol * |2x| grows with |x|: worst
  // at b[1, 0] = 3 (flat index 2), where the analytic slope is 3 and the true one 6.
  CHECK(result.input == 1);
  CHECK(result.index == 2);
  CHECK(result.analytic == doctest::Approx(3.0));
  CHECK(result.numeric == doctest::Approx(6.0).epsilon(1e-6));
  CHECK(result.message.find("input 1") != std::string::npos);
  CHECK(result.message.find("index 2") != std::string::npos);
  CHECK(result.message.find("(1, 0)") != std::string::npos);
  CHECK(result.message.find("analytic 3 vs numeric 6") != std::string::npos);
}

TEST_CASE("gradcheck: a gradient missing altogether is caught") {
  // y = x0 * x1 recorded with a backward that only feeds x0.
  const auto half_backward = [](const Inputs& x) {
    xg::Array<double> y = x[0].value() * x[1].value();
    return xg::autograd::record<double>("half", std::move(y), {&x[0], &x[1]}, [](xg::Node<double>& self) {
      self.inputs[0]->accumulate_grad(self.grad * self.inputs[1]->value);
    });
  };
  const auto result =
      xg::autograd::gradcheck(half_backward, {xg::tensor<double>({2.0}, true), xg::tensor<double>({5.0}, true)});
  CHECK_FALSE(result.passed);
  CHECK(result.input == 1);
  CHECK(result.analytic == 0.0);
  CHECK(result.numeric == doctest::Approx(2.0));
}

TEST_CASE("gradcheck: leaves inputs' values and gradients as they were") {
  const Tensor64 x = xg::tensor<double>({1.0, 2.0, 3.0}, true);
  const Tensor64 y = xg::tensor<double>({4.0, 5.0, 6.0}, true);
  y.grad() = xg::Array<double>{7.0, 8.0, 9.0};
  const auto result = xg::autograd::gradcheck([](const Inputs& in) { return xg::sum(in[0] * in[1]); }, {x, y});
  CHECK(result.passed);
  CHECK(x.value() == xg::Array<double>{1.0, 2.0, 3.0});
  CHECK(y.value() == xg::Array<double>{4.0, 5.0, 6.0});
  CHECK_FALSE(x.has_grad());
  CHECK(y.grad() == xg::Array<double>{7.0, 8.0, 9.0});
}

TEST_CASE("gradcheck: runs under no_grad too, and skips inputs without requires_grad") {
  xg::no_grad outer;
  const Tensor64 x = xg::tensor<double>({1.0, 2.0}, true);
  const Tensor64 c = xg::tensor<double>({3.0, -1.0}, false);
  const auto result = xg::autograd::gradcheck([](const Inputs& in) { return in[0] * in[1]; }, {x, c});
  CHECK(result.passed);
  CHECK(result.input == 0);
  CHECK_FALSE(xg::is_grad_enabled());
}
