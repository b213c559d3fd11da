// xg::autograd::Function: the README's stable softplus compiled as written
// there, its values against log1p(exp(x)) computed here with <cmath>, its
// gradient by gradcheck; a two-input op with a non-tensor argument; and the
// misuses the wrapper must name (wrong number, wrong shape of gradients).

#include <doctest/doctest.h>

#include <cmath>
#include <vector>

#include <xtensor/xmath.hpp>

#include <xgrad/xgrad.hpp>

#include "exception_message.hpp"

namespace {

// --- begin README example (README.md, "Your own differentiable op") ---
// softplus(x) = log(1 + e^x), written as max(x, 0) + log1p(e^-|x|) so that
// e^x never overflows; its derivative is sigmoid(x).
struct StableSoftplus : xg::autograd::Function<StableSoftplus> {
  static constexpr const char* name = "stable_softplus";

  template <class S>
  static xg::Array<S> forward(xg::autograd::FunctionContext<S>& ctx, const xg::Array<S>& x) {
    ctx.save_for_backward({x});
    return xt::maximum(x, S(0)) + xt::log1p(xt::exp(-xt::abs(x)));
  }

  template <class S>
  static std::vector<xg::Array<S>> backward(xg::autograd::FunctionContext<S>& ctx, const xg::Array<S>& grad) {
    const xg::Array<S>& x = ctx.get_saved_variables()[0];
    return {grad / (S(1) + xt::exp(-x))};  // grad * sigmoid(x)
  }
};
// --- end README example ---

// a * x + b, with a a plain number saved in the context.
struct ScaledAdd : xg::autograd::Function<ScaledAdd> {
  static constexpr const char* name = "scaled_add";
  template <class S>
  static xg::Array<S> forward(xg::autograd::FunctionContext<S>& ctx, const xg::Array<S>& x, double a,
                              const xg::Array<S>& b) {
    ctx.saved_data["a"] = a;
    return S(a) * x + b;
  }
  template <class S>
  static std::vector<xg::Array<S>> backward(xg::autograd::FunctionContext<S>& ctx, const xg::Array<S>& grad) {
    const S a = static_cast<S>(ctx.saved_data.at("a"));
    return {a * grad, ctx.needs_input_grad(1) ? xg::Array<S>(grad) : xg::Array<S>()};
  }
};

struct TooFewGradients : xg::autograd::Function<TooFewGradients> {
  static constexpr const char* name = "too_few";
  template <class S>
  static xg::Array<S> forward(xg::autograd::FunctionContext<S>&, const xg::Array<S>& x, const xg::Array<S>& y) {
    return x + y;
  }
  template <class S>
  static std::vector<xg::Array<S>> backward(xg::autograd::FunctionContext<S>&, const xg::Array<S>& grad) {
    return {grad};
  }
};

struct WrongShape : xg::autograd::Function<WrongShape> {
  static constexpr const char* name = "wrong_shape";
  template <class S>
  static xg::Array<S> forward(xg::autograd::FunctionContext<S>&, const xg::Array<S>& x) {
    return x;
  }
  template <class S>
  static std::vector<xg::Array<S>> backward(xg::autograd::FunctionContext<S>&, const xg::Array<S>&) {
    return {xg::Array<S>::from_shape({3})};
  }
};

}  // namespace

TEST_CASE("custom function: the README's stable softplus, values and gradcheck") {
  // --- begin README example, use ---
  auto x = xg::tensor<double>(xg::Array<double>{-800.0, -2.0, 0.0, 0.5, 3.0, 800.0}, /*requires_grad=*/true);
  auto y = StableSoftplus::apply(x);
  xg::sum(y).backward();
  auto check = xg::autograd::gradcheck([](const auto& in) { return StableSoftplus::apply(in[0]); },
                                       {xg::randn<double>({3, 4}, true)});
  // --- end README example, use ---
  CHECK_MESSAGE(check.passed, check.message);
  CHECK(std::string(y.op()) == "stable_softplus");
  const double expected[] = {
      0.0, std::log1p(std::exp(-2.0)), std::log(2.0), std::log1p(std::exp(0.5)), std::log1p(std::exp(3.0)), 800.0};
  for (std::size_t i = 0; i < 6; ++i) {
    CAPTURE(i);
    CHECK(y.value()(i) == doctest::Approx(expected[i]).epsilon(1e-14));
    const double v = x.value()(i);
    CHECK(x.grad()(i) == doctest::Approx(1.0 / (1.0 + std::exp(-v))).epsilon(1e-14));
  }
}

TEST_CASE("custom function: float32, chained with built-in ops, and nothing recorded under no_grad") {
  auto x = xg::tensor(xg::Array<float>{-1.0f, 2.0f}, true);
  auto loss = xg::sum(StableSoftplus::apply(x * 2.0f));
  loss.backward();
  CHECK(x.grad()(0) == doctest::Approx(2.0 / (1.0 + std::exp(2.0))).epsilon(1e-6));
  CHECK(x.grad()(1) == doctest::Approx(2.0 / (1.0 + std::exp(-4.0))).epsilon(1e-6));
  xg::no_grad guard;
  CHECK_FALSE(StableSoftplus::apply(x).requires_grad());
}

TEST_CASE("custom function: non-tensor arguments pass through, gradients go to each tensor input") {
  xg::Generator gen(3);
  auto x = xg::randn<double>({2, 3}, true, gen);
  auto b = xg::randn<double>({2, 3}, true, gen);
  auto r = xg::autograd::gradcheck([](const auto& in) { return ScaledAdd::apply(in[0], 2.5, in[1]); }, {x, b});
  CHECK_MESSAGE(r.passed, r.message);
  // b held fixed: its (empty) gradient is not checked nor used.
  auto fixed = xg::randn<double>({2, 3}, false, gen);
  xg::sum(ScaledAdd::apply(x, -1.5, fixed)).backward();
  CHECK(x.grad()(1, 2) == doctest::Approx(-1.5));
  CHECK_FALSE(fixed.has_grad());
}

TEST_CASE("custom function: a backward with the wrong number or shape of gradients throws naming the op") {
  auto x = xg::zeros<double>({2, 2}, true);
  auto y = xg::zeros<double>({2, 2}, true);
  CHECK(xg::testing::message_of<xg::GraphError>([&] { xg::sum(TooFewGradients::apply(x, y)).backward(); }) ==
        "too_few: backward returned 1 gradients for 2 tensor inputs");
  CHECK(xg::testing::message_of<xg::ShapeError>([&] { xg::sum(WrongShape::apply(x)).backward(); }) ==
        "wrong_shape: backward returned a gradient of shape (3,) for input 0 of shape (2, 2)");
  CHECK_FALSE(x.has_grad());
  CHECK(xg::testing::message_of<std::invalid_argument>([] { StableSoftplus::apply(xg::Tensor64()); }) ==
        "stable_softplus: input 0 is an undefined (default-constructed) tensor");
}
