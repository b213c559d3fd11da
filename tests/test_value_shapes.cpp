// A value or gradient replaced by hand with one of another shape after the
// forward: backward refuses the pass, naming the op and both shapes, before
// any gradient changes (issue #14, item 1). Before the check, gather and
// index_select wrote out of bounds (ASan), tanh gave a wrong gradient and mul
// failed inside xtensor.

#include <doctest/doctest.h>

#include <vector>

#include <xgrad/xgrad.hpp>

#include "exception_message.hpp"

using xg::testing::contains;
using xg::testing::message_of;

namespace {

// The leaf w keeps no gradient: the refused pass changed nothing.
void check_refused(const xg::Tensor& loss, const xg::Tensor& w, const char* op, const char* now, const char* then) {
  const std::string message = message_of<xg::ShapeError>([&] { loss.backward(); });
  INFO(message);
  CHECK(contains(message, std::string("'") + op + "'"));
  CHECK(contains(message, std::string("has shape ") + now));
  CHECK(contains(message, std::string("had shape ") + then));
  CHECK_FALSE(w.has_grad());
}

}  // namespace

TEST_CASE("value shapes: gather refuses a backward after its input's value was replaced by a smaller one") {
  auto w = xg::zeros({4, 3}, true);
  const std::vector<std::size_t> index{2, 2, 2, 2};
  auto loss = xg::sum(xg::gather(w, index));
  w.value() = xt::zeros<float>({2, 2});
  check_refused(loss, w, "gather", "(2, 2)", "(4, 3)");
}

TEST_CASE("value shapes: index_select refuses a backward after its input's value was replaced") {
  auto w = xg::ones({5, 4}, true);
  const std::vector<std::size_t> rows{4, 0, 4};
  auto loss = xg::sum(xg::index_select(w, rows));
  w.value() = xt::ones<float>({1, 4});
  check_refused(loss, w, "index_select", "(1, 4)", "(5, 4)");
}

TEST_CASE("value shapes: tanh refuses a backward after its input's or its own value was replaced") {
  auto w = xg::full({3}, 0.5f, true);
  auto y = xg::tanh(w);
  auto loss = xg::sum(y);
  SUBCASE("the input") {
    w.value() = xt::zeros<float>({6});
    check_refused(loss, w, "tanh", "(6,)", "(3,)");
  }
  SUBCASE("the op's own output, which its backward reads") {
    y.value() = xt::zeros<float>({1});
    check_refused(loss, w, "tanh", "(1,)", "(3,)");
  }
}

TEST_CASE("value shapes: mul refuses a backward after one operand's value was replaced") {
  auto a = xg::ones({2, 3}, true);
  auto b = xg::full({2, 3}, 2.0f, true);
  auto loss = xg::sum(a * b);
  b.value() = xt::ones<float>({3, 2});
  check_refused(loss, a, "mul", "(3, 2)", "(2, 3)");
  CHECK_FALSE(b.has_grad());
}

TEST_CASE("value shapes: a gradient assigned with another shape is refused before the pass changes anything") {
  auto a = xg::ones({2, 3}, true);
  auto b = xg::ones({2, 3}, true);
  auto loss = xg::sum(a * b);
  b.grad() = xt::ones<float>({7});
  const std::string message = message_of<xg::ShapeError>([&] { loss.backward(); });
  CHECK(contains(message, "has shape (7,) but the value has shape (2, 3)"));
  CHECK_FALSE(a.has_grad());
}

TEST_CASE("value shapes: a value replaced by one of the same shape is differentiated at the new value") {
  auto w = xg::full({2}, 1.0f, true);
  auto loss = xg::sum(w * w);
  w.value() = xt::xarray<float>{3.0f, -2.0f};  // the backward of mul reads the inputs' values now
  loss.backward();
  // d/dw sum(w * w) = 2 w at the values the backward reads: 2 * 3, 2 * (-2).
  CHECK(w.grad()(0) == 6.0f);
  CHECK(w.grad()(1) == -4.0f);
}
