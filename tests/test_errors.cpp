// Bad input throws, and the message says which op refused what: shape errors
// name the op and both shapes; bad axes, indices and arguments name the value
// and the valid range.

#include <doctest/doctest.h>

#include <cmath>
#include <limits>
#include <string>
#include <vector>

#include <xgrad/xgrad.hpp>

#include "exception_message.hpp"

namespace {

using xg::testing::contains;
using xg::testing::message_of;

using xg::Tensor;

}  // namespace

TEST_CASE("errors: matmul names both shapes") {
  auto a = xg::zeros({3, 4});
  auto b = xg::zeros({5, 2});
  CHECK(message_of<xg::ShapeError>([&] { xg::matmul(a, b); }) == "matmul: cannot multiply (3, 4) by (5, 2)");
  CHECK(message_of<xg::ShapeError>([&] { xg::matmul(xg::zeros({3}), xg::zeros({4})); }) ==
        "matmul: cannot multiply (3,) by (4,)");
  CHECK(message_of<xg::ShapeError>([&] {
          xg::matmul(xg::zeros({2, 3}), xg::zeros({2}));
        }) == "matmul: cannot multiply (2, 3) by (2,)");
  CHECK(message_of<xg::ShapeError>([&] {
          xg::matmul(xg::zeros({2, 2, 2, 2}), xg::zeros({2, 2}));
        }) == "matmul: supports 1-D, 2-D and 3-D operands, got (2, 2, 2, 2) and (2, 2)");
  CHECK(contains(message_of<xg::ShapeError>([&] { xg::matmul(xg::zeros({}), xg::zeros({2})); }), "matmul"));
}

TEST_CASE("errors: elementwise binary ops name the op and both shapes when they cannot broadcast") {
  auto a = xg::zeros({2, 3});
  auto b = xg::zeros({4});
  CHECK(message_of<xg::ShapeError>([&] { a + b; }) == "add: cannot broadcast (2, 3) with (4,)");
  CHECK(message_of<xg::ShapeError>([&] { a - b; }) == "sub: cannot broadcast (2, 3) with (4,)");
  CHECK(message_of<xg::ShapeError>([&] { a* b; }) == "mul: cannot broadcast (2, 3) with (4,)");
  CHECK(message_of<xg::ShapeError>([&] { a / b; }) == "div: cannot broadcast (2, 3) with (4,)");
  CHECK(message_of<xg::ShapeError>([&] { xg::maximum(b, a); }) == "maximum: cannot broadcast (4,) with (2, 3)");
  CHECK(message_of<xg::ShapeError>([&] { xg::minimum(a, b); }) == "minimum: cannot broadcast (2, 3) with (4,)");
  CHECK(message_of<xg::ShapeError>([&] {
          xg::zeros({3, 1}) + xg::zeros({2, 4});
        }) == "add: cannot broadcast (3, 1) with (2, 4)");
}

TEST_CASE("errors: reshape names both shapes and the element count") {
  CHECK(message_of<xg::ShapeError>([] {
          xg::reshape(xg::zeros({2, 3}), {4});
        }) == "reshape: cannot reshape (2, 3) (6 elements) to (4,)");
}

TEST_CASE("errors: an axis out of range names the op, the axis and the valid range") {
  auto x = xg::zeros({2, 3});
  const std::string expected = ": axis 2 is out of range for a 2-D tensor (valid: -2 to 1)";
  CHECK(message_of<std::invalid_argument>([&] { xg::sum(x, {2}); }) == "sum" + expected);
  CHECK(message_of<std::invalid_argument>([&] { xg::mean(x, {0, 2}); }) == "mean" + expected);
  CHECK(message_of<std::invalid_argument>([&] { xg::max(x, {2}, true); }) == "max" + expected);
  CHECK(message_of<std::invalid_argument>([&] { xg::softmax(x, 2); }) == "softmax" + expected);
  CHECK(message_of<std::invalid_argument>([&] { xg::log_softmax(x, 2); }) == "log_softmax" + expected);
  CHECK(message_of<std::invalid_argument>([&] { xg::concat(std::vector<Tensor>{x, x}, 2); }) == "concat" + expected);
  CHECK(message_of<std::invalid_argument>([&] { xg::sum(x, {-3}); }) ==
        "sum: axis -3 is out of range for a 2-D tensor (valid: -2 to 1)");
  CHECK(message_of<std::invalid_argument>([&] { xg::softmax(xg::zeros({})); }) ==
        "softmax: axis -1 is out of range for a 0-D tensor (it has no axes)");
}

TEST_CASE("errors: a repeated axis is refused") {
  auto x = xg::zeros({2, 3});
  CHECK(message_of<std::invalid_argument>([&] {
          xg::sum(x, {1, -1});
        }) == "sum: an axis is repeated in the axes given");
  CHECK(contains(message_of<std::invalid_argument>([&] { xg::max(x, {0, 0}); }), "max: an axis is repeated"));
}

TEST_CASE("errors: mean and max of nothing are refused instead of giving NaN or -inf") {
  CHECK(message_of<std::invalid_argument>([] { xg::mean(xg::zeros({0})); }) ==
        "mean: cannot reduce over an empty extent (input shape (0,))");
  CHECK(message_of<std::invalid_argument>([] {
          xg::max(xg::zeros({2, 0}));
        }) == "max: cannot reduce over an empty extent (input shape (2, 0))");
  CHECK(message_of<std::invalid_argument>([] {
          xg::max(xg::zeros({2, 0}), {1});
        }) == "max: cannot reduce over an empty extent (input shape (2, 0))");
  CHECK_THROWS_AS(xg::mean(xg::zeros({3, 0}), {1}, true), std::invalid_argument);
  // Reducing a non-empty axis of an empty tensor is fine: the result is empty too.
  CHECK(xg::max(xg::zeros({3, 0}), {0}).numel() == 0);
  CHECK(xg::sum(xg::zeros({0})).item() == 0.0f);
}

TEST_CASE("errors: concat names both shapes that do not fit") {
  auto a = xg::zeros({2, 3});
  auto b = xg::zeros({2, 4});
  CHECK(message_of<xg::ShapeError>([&] {
          xg::concat(std::vector<Tensor>{a, b}, 0);
        }) ==
        "concat: cannot join (2, 3) (tensor 0) with (2, 4) (tensor 1) along axis 0: all other dimensions must match");
  CHECK(message_of<xg::ShapeError>([&] {
          xg::concat(std::vector<Tensor>{a, a, xg::zeros({6})}, 0);
        }) ==
        "concat: cannot join (2, 3) (tensor 0) with (6,) (tensor 2) along axis 0: all other dimensions must match");
  CHECK(message_of<std::invalid_argument>([] { xg::concat(std::vector<Tensor>{}); }) ==
        "concat: needs at least one tensor, got an empty list");
  CHECK(message_of<xg::ShapeError>([] {
          xg::concat(std::vector<Tensor>{xg::zeros({}), xg::zeros({})});
        }) == "concat: cannot join 0-D tensors; reshape them to (1,) first");
  // Along axis 1 the first dimensions must agree instead.
  CHECK_NOTHROW(xg::concat(std::vector<Tensor>{a, b}, 1));
}

TEST_CASE("errors: index_select and gather name the bad index, its position and the valid size") {
  auto x = xg::zeros({3, 4});
  CHECK(message_of<std::invalid_argument>([&] {
          xg::index_select(x, std::vector<std::size_t>{0, 3});
        }) == "index_select: index 3 (at position 1) is out of range for axis 0 of size 3");
  CHECK(message_of<xg::ShapeError>([] { xg::index_select(xg::zeros({}), std::vector<std::size_t>{0}); }) ==
        "index_select: cannot select rows of a 0-D tensor");
  CHECK(message_of<std::invalid_argument>([&] {
          xg::gather(x, std::vector<std::size_t>{0, 4, 1});
        }) == "gather: index 4 (at position 1) is out of range for axis 1 of size 4");
  CHECK(message_of<xg::ShapeError>([] {
          xg::gather(xg::zeros({3}), std::vector<std::size_t>{0, 0, 0});
        }) == "gather: expects a 2-D input, got shape (3,)");
  CHECK(message_of<xg::ShapeError>([&] {
          xg::gather(x, std::vector<std::size_t>{0, 1});
        }) == "gather: needs one index per row: got 2 indices for an input of shape (3, 4)");
}

TEST_CASE("errors: bad scalar arguments name the op and the values") {
  auto x = xg::zeros({2});
  CHECK(message_of<std::invalid_argument>([&] { xg::clamp(x, 1.0, -1.0); }) ==
        "clamp: needs min <= max, got min=1 max=-1");
  CHECK_THROWS_AS(xg::clamp(x, std::nan(""), 1.0), std::invalid_argument);
  CHECK(message_of<std::invalid_argument>([&] { xg::pow(x, std::nan("")); }) == "pow: the exponent is NaN");
  CHECK(contains(message_of<std::invalid_argument>([] { xg::arange(0, 1, 0); }), "arange"));
  CHECK(contains(message_of<std::invalid_argument>([] { xg::uniform({2}, 1.0, 0.0); }), "uniform: needs low <= high"));
  CHECK(contains(message_of<std::invalid_argument>([] { xg::Generator().randint(0); }), "randint"));
}

TEST_CASE("errors: gradcheck refuses inputs it cannot check") {
  auto x = xg::tensor<double>({1.0}, true);
  auto interior = x * 2.0;
  const auto identity = [](const std::vector<xg::Tensor64>& in) { return in[0]; };
  CHECK(message_of<std::invalid_argument>([&] { xg::autograd::gradcheck(identity, {interior}); }) ==
        "gradcheck: input 0 comes from op 'mul_scalar'; inputs to check must be leaves (use "
        "detach().requires_grad_())");
  CHECK(contains(message_of<std::invalid_argument>([&] { xg::autograd::gradcheck(identity, {x}, {.eps = 0}); }),
                 "eps must be positive"));
  CHECK(contains(message_of<std::invalid_argument>([&] { xg::autograd::gradcheck(identity, {xg::Tensor64()}); }),
                 "input 0 is an undefined tensor"));
  // A function whose output shape depends on the input's values.
  const auto unstable = [](const std::vector<xg::Tensor64>& in) {
    return in[0].value()(0) > 1.0 ? xg::concat(std::vector<xg::Tensor64>{in[0], in[0]}) : in[0] * 1.0;
  };
  CHECK(contains(
      message_of<std::invalid_argument>([&] { xg::autograd::gradcheck(unstable, {xg::tensor<double>({1.0}, true)}); }),
      "output changed shape from (1,) to (2,)"));
}

TEST_CASE("errors: nothing crashes on empty tensors") {
  auto e = xg::zeros({0, 3}, true);
  CHECK(xg::exp(e).numel() == 0);
  CHECK(xg::softmax(e, 1).numel() == 0);
  CHECK(xg::log_softmax(e, 0).numel() == 0);
  CHECK(xg::sum(e, {0}).numel() == 3);
  CHECK(xg::matmul(e, xg::zeros({3, 2})).numel() == 0);
  auto loss = xg::sum(xg::matmul(xg::zeros({2, 0}, true), xg::zeros({0, 2})));
  CHECK(loss.item() == 0.0f);
  loss.backward();
  CHECK(xg::sum(xg::relu(e)).item() == 0.0f);
}

// std::to_string prints a double with six decimals, so that 1e-9 read as
// "0.000000" in these messages before they went through number_text.
TEST_CASE("errors: small option values are printed as numbers, not as 0.000000") {
  const auto invalid = [](auto f) { return message_of<std::invalid_argument>(f); };
  CHECK(contains(invalid([] { xg::nn::LayerNorm({4}, {.eps = -1e-9}); }), "eps must be finite and >= 0, got -1e-09"));
  CHECK(contains(invalid([] { xg::nn::BatchNorm1d(4, {.eps = -1e-9}); }), "eps must be finite and >= 0, got -1e-09"));
  auto w = xg::zeros<float>({2}, true);
  CHECK(contains(invalid([&] { xg::nn::init::normal_(w, 0.0, -1e-9); }), "got mean=0 std=-1e-09"));
  CHECK(contains(
      invalid([&] { xg::optim::SGD<float>({w}, {.lr = 0.1, .momentum = 0.9, .dampening = 1e-8, .nesterov = true}); }),
      "got momentum = 0.9, dampening = 1e-08"));
}
