// The rules of the autograd graph: seeding, accumulation, release after
// backward, retain_graph, shared subgraphs, no_grad, detach, leaves, and that
// long loops and long chains neither leak nodes nor overflow the stack.

#include <doctest/doctest.h>

#include <string>

#include <xtensor/xnoalias.hpp>

#include <xgrad/xgrad.hpp>

#include "exception_message.hpp"

namespace {

using xg::testing::contains;
using xg::testing::message_of;

}  // namespace

TEST_CASE("graph: backward on a one-element tensor seeds it with 1") {
  auto x = xg::tensor({1.0f, 2.0f, 3.0f}, true);
  auto y = xg::sum(x * x);  // dy/dx = 2x
  y.backward();
  CHECK(x.grad() == xg::Array<float>{2.0f, 4.0f, 6.0f});

  // (1, 1) holds one element too.
  auto w = xg::full<float>({1, 1}, 3.0f, true);
  (w * 2.0f).backward();
  CHECK(w.grad()(0, 0) == 2.0f);
}

TEST_CASE("graph: backward on a leaf gives it the seed") {
  auto x = xg::scalar_tensor(4.0f, true);
  x.backward();
  CHECK(x.grad()() == 1.0f);
}

TEST_CASE("graph: backward without a gradient on a non-scalar throws GraphError naming the shape") {
  auto x = xg::tensor({1.0f, 2.0f}, true);
  auto y = x * 3.0f;
  const auto message = message_of<xg::GraphError>([&] { y.backward(); });
  CHECK(contains(message, "backward"));
  CHECK(contains(message, "(2,)"));
  CHECK_FALSE(x.has_grad());
}

TEST_CASE("graph: an explicit gradient weighs the outputs; a wrong shape throws ShapeError") {
  auto x = xg::tensor({1.0f, 2.0f}, true);
  auto y = x * 3.0f;
  CHECK_THROWS_AS(y.backward(xg::Array<float>{1.0f, 1.0f, 1.0f}), xg::ShapeError);
  CHECK(message_of<xg::ShapeError>([&] {
          y.backward(xg::Array<float>{{1.0f, 1.0f}});
        }) == "backward: the gradient has shape (1, 2) but the tensor has shape (2,)");
  y.backward(xg::Array<float>{1.0f, -2.0f});
  CHECK(x.grad() == xg::Array<float>{3.0f, -6.0f});
}

TEST_CASE("graph: backward on a tensor that does not require grad throws GraphError") {
  auto x = xg::tensor({1.0f, 2.0f});
  auto y = xg::sum(x * 2.0f);
  CHECK_FALSE(y.requires_grad());
  CHECK_THROWS_AS(y.backward(), xg::GraphError);
}

TEST_CASE("graph: gradients accumulate across backward calls until zero_grad") {
  auto x = xg::tensor({1.0f, -1.0f}, true);
  for (int i = 0; i < 3; ++i) xg::sum(x * 5.0f).backward();
  CHECK(x.grad() == xg::Array<float>{15.0f, 15.0f});
  x.zero_grad();
  CHECK(x.has_grad());
  CHECK(x.grad() == xg::Array<float>{0.0f, 0.0f});
  xg::sum(x * 2.0f).backward();
  CHECK(x.grad() == xg::Array<float>{2.0f, 2.0f});
  x.zero_grad(/*set_to_none=*/true);
  CHECK_FALSE(x.has_grad());
}

TEST_CASE("graph: the graph is released after backward; a second backward names retain_graph") {
  auto x = xg::tensor({2.0f}, true);
  auto y = xg::sum(xg::exp(x) * x);
  y.backward();
  const float first = x.grad()(0);
  const auto message = message_of<xg::GraphError>([&] { y.backward(); });
  CHECK(contains(message, "retain_graph"));
  CHECK(contains(message, "second time"));
  CHECK(x.grad()(0) == first);  // the refused backward changed nothing
}

TEST_CASE("graph: with retain_graph the graph can be walked again and the gradients double") {
  auto x = xg::tensor({2.0f, 3.0f}, true);
  auto y = xg::sum(x * x * x);  // dy/dx = 3x^2
  y.backward(/*retain_graph=*/true);
  CHECK(x.grad() == xg::Array<float>{12.0f, 27.0f});
  y.backward(/*retain_graph=*/true);
  CHECK(x.grad() == xg::Array<float>{24.0f, 54.0f});
  y.backward();
  CHECK(x.grad() == xg::Array<float>{36.0f, 81.0f});
  CHECK_THROWS_AS(y.backward(), xg::GraphError);
}

TEST_CASE("graph: a shared subgraph (diamond) gets the sum of both branches' gradients") {
  // x -> a = 3x -> { b = a^2, c = 2a } -> d = b + c;  dd/dx = (2a + 2) * 3
  auto x = xg::scalar_tensor(1.5, true);
  auto a = x * 3.0;
  auto d = xg::pow(a, 2.0) + a * 2.0;
  d.backward();
  CHECK(d.item() == doctest::Approx(4.5 * 4.5 + 9.0));
  CHECK(x.grad()() == doctest::Approx((2 * 4.5 + 2) * 3));

  // x used directly by both sides of one op: d(x*x)/dx = 2x.
  auto z = xg::scalar_tensor(-2.5, true);
  (z * z).backward();
  CHECK(z.grad()() == -5.0);
}

TEST_CASE("graph: interior tensors keep no gradient; leaves do") {
  auto x = xg::tensor({1.0f}, true);
  auto h = x * 2.0f;
  auto y = xg::sum(h * h);
  y.backward();
  CHECK_FALSE(h.has_grad());
  CHECK(x.has_grad());
  CHECK(x.grad()(0) == 8.0f);  // d(4x^2)/dx
}

TEST_CASE("graph: no_grad records nothing; enable_grad turns it back on") {
  auto x = xg::tensor({1.0f, 2.0f}, true);
  const long before = xg::autograd::live_nodes();
  {
    xg::no_grad guard;
    CHECK_FALSE(xg::is_grad_enabled());
    auto y = xg::exp(x * 2.0f);
    CHECK(y.is_leaf());
    CHECK_FALSE(y.requires_grad());
    CHECK(y.node()->inputs.empty());
    CHECK(std::string(y.op()) == "exp");
    {
      xg::enable_grad inner;
      auto z = x * 2.0f;
      CHECK(z.requires_grad());
      CHECK_FALSE(z.is_leaf());
    }
    CHECK_FALSE(xg::is_grad_enabled());
  }
  CHECK(xg::is_grad_enabled());
  CHECK(xg::autograd::live_nodes() == before);
}

TEST_CASE("graph: detach copies the value out of the graph") {
  auto x = xg::tensor({1.0f, 2.0f}, true);
  auto y = x * 3.0f;
  auto d = y.detach();
  CHECK(d.is_leaf());
  CHECK_FALSE(d.requires_grad());
  CHECK(d.value() == y.value());
  d.value()(0) = 100.0f;
  CHECK(y.value()(0) == 3.0f);
  // Gradients stop at a detached tensor.
  auto z = xg::sum(d.requires_grad_() * x);
  z.backward();
  CHECK(x.grad() == xg::Array<float>{100.0f, 6.0f});
  CHECK(d.grad() == xg::Array<float>{1.0f, 2.0f});
}

TEST_CASE("graph: requires_grad_ works on leaves and throws GraphError on results of ops") {
  auto x = xg::tensor({1.0f});
  CHECK_FALSE(x.requires_grad());
  x.requires_grad_();
  CHECK(x.requires_grad());
  auto y = x * 2.0f;
  const auto message = message_of<xg::GraphError>([&] { y.requires_grad_(false); });
  CHECK(contains(message, "requires_grad_"));
  CHECK(contains(message, "mul_scalar"));
  CHECK(y.requires_grad());
  x.requires_grad_(false);
  CHECK_FALSE((x * 2.0f).requires_grad());
}

TEST_CASE("graph: an op with one input requiring grad records; its other inputs get no gradient") {
  auto w = xg::tensor({2.0f}, true);
  auto c = xg::tensor({5.0f});
  auto y = xg::sum(w * c);
  y.backward();
  CHECK(w.grad()(0) == 5.0f);
  CHECK_FALSE(c.has_grad());
}

TEST_CASE("graph: a 100,000-step training loop keeps live_nodes flat and fits the line") {
  // y = 2x + 1 sampled at four points; plain gradient descent on the squared error.
  const float xs[] = {-1.0f, 0.0f, 1.0f, 2.0f};
  auto w = xg::scalar_tensor(0.0f, true);
  auto b = xg::scalar_tensor(0.0f, true);
  long at_step_100 = 0, at_last_step = 0;
  for (int step = 1; step <= 100000; ++step) {
    const float xv = xs[step % 4];
    auto x = xg::scalar_tensor(xv);
    auto target = xg::scalar_tensor(2.0f * xv + 1.0f);
    auto err = w * x + b - target;
    auto loss = err * err;
    loss.backward();
    {
      xg::no_grad guard;
      xt::noalias(w.value()) -= 0.05f * w.grad();
      xt::noalias(b.value()) -= 0.05f * b.grad();
    }
    w.zero_grad();
    b.zero_grad();
    if (step == 100) at_step_100 = xg::autograd::live_nodes();
    if (step == 100000) at_last_step = xg::autograd::live_nodes();
  }
  CHECK(at_step_100 > 0);
  CHECK(at_last_step == at_step_100);
  CHECK(w.item() == doctest::Approx(2.0f).epsilon(1e-4));
  CHECK(b.item() == doctest::Approx(1.0f).epsilon(1e-4));
}

TEST_CASE("graph: a chain of 1,000,000 ops is destroyed without overflowing the stack") {
  const long before = xg::autograd::live_nodes();
  {
    auto x = xg::scalar_tensor(0.0f, true);
    auto y = x;
    for (int i = 0; i < 1000000; ++i) y = y + 1.0f;
    CHECK(y.item() == 1000000.0f);
    CHECK(xg::autograd::live_nodes() == before + 1000001);
  }
  CHECK(xg::autograd::live_nodes() == before);
}

TEST_CASE("graph: backward through a chain of 100,000 ops does not recurse") {
  auto x = xg::scalar_tensor(1.0, true);
  auto y = x;
  for (int i = 0; i < 100000; ++i) y = y * 1.0;
  y.backward();
  CHECK(x.grad()() == 1.0);
}
