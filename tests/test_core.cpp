#include <doctest/doctest.h>

#include <xgrad/xgrad.hpp>

TEST_CASE("smoke: matmul + add + sum backward") {
  auto x = xg::tensor({{1.0, 2.0}, {3.0, 4.0}}, true);
  auto w = xg::tensor({0.5, -1.0}, false).reshape({2, 1}).detach().requires_grad_();
  auto b = xg::tensor({0.25}, true);
  auto y = xg::sum(xg::matmul(x, w) + b);
  y.backward();
  CHECK(y.item() == doctest::Approx(0.5 - 2 + 1.5 - 4 + 0.5));
  CHECK(w.grad()(0, 0) == doctest::Approx(4.0));
  CHECK(b.grad()(0) == doctest::Approx(2.0));
}
