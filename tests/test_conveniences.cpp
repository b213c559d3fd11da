// The tensor conveniences of issue #15: *_like factories, factories taking
// whatever t.shape() returns, item<T>() and the differentiable t.to<T>().

#include <doctest/doctest.h>

#include <array>
#include <cstdint>
#include <vector>

#include <xgrad/xgrad.hpp>

TEST_CASE("conveniences: factories take t.shape(), a std::array or a std::vector<int>, and braced lists") {
  auto t = xg::zeros({2, 3});
  auto r = xg::randn(t.shape());
  CHECK(xg::shape_to_string(r.shape()) == "(2, 3)");
  CHECK(xg::shape_to_string(xg::ones<double>(std::array<int, 2>{4, 1}).shape()) == "(4, 1)");
  CHECK(xg::shape_to_string(xg::rand(std::vector<int>{5}).shape()) == "(5,)");
  CHECK(xg::full(t.shape(), 2.5f).value()(1, 2) == 2.5f);
  CHECK(xg::uniform(t.shape(), 1.0, 2.0).value()(0, 0) >= 1.0f);
  CHECK(xg::zeros<double>({3}, true).requires_grad());
}

TEST_CASE_TEMPLATE("conveniences: zeros_like, ones_like, full_like, rand_like, randn_like", S, float, double) {
  auto t = xg::randn<S>({2, 4}, true);
  auto z = xg::zeros_like(t);
  static_assert(std::is_same_v<decltype(z), xg::BasicTensor<S>>);
  CHECK(xg::shape_to_string(z.shape()) == "(2, 4)");
  CHECK_FALSE(z.requires_grad());  // as torch's *_like: requires_grad is not copied
  for (S v : z.value()) CHECK(v == S(0));
  const auto ones = xg::ones_like(t), full = xg::full_like(t, S(-3)), uniform = xg::rand_like(t);
  for (S v : ones.value()) CHECK(v == S(1));
  for (S v : full.value()) CHECK(v == S(-3));
  for (S v : uniform.value()) CHECK((v >= S(0) && v < S(1)));
  xg::Generator a(9), b(9);
  CHECK(xg::randn_like(t, true, a).value() == xg::randn<S>({2, 4}, false, b).value());
  CHECK(xg::randn_like(t, true).requires_grad());
}

TEST_CASE("conveniences: item<T>() converts the only element") {
  auto t = xg::scalar_tensor(2.75f);
  CHECK(t.item<double>() == 2.75);
  CHECK(t.item<std::int64_t>() == 2);
  CHECK_THROWS_AS(xg::zeros({2}).item<double>(), std::invalid_argument);
}

TEST_CASE("conveniences: to<double>() and to<float>() are differentiable and the gradient comes back converted") {
  auto x = xg::tensor(xg::Array<float>{0.5f, -1.25f}, true);
  auto x64 = x.to<double>();
  static_assert(std::is_same_v<decltype(x64), xg::Tensor64>);
  CHECK(x64.value()(1) == -1.25);
  CHECK(std::string(x64.op()) == "to");
  // loss = sum(x64^2) * 3 in float64: dloss/dx = 6 x, handed back as float.
  xg::sum(x64 * x64 * 3.0).backward();
  CHECK(x.grad()(0) == 3.0f);
  CHECK(x.grad()(1) == -7.5f);
  // Through ops on both sides of the cast, and used twice.
  auto w = xg::tensor(xg::Array<double>{2.0, 3.0}, true);
  auto w32 = (w * 2.0).to<float>();
  auto loss = xg::sum(w32 * w32) + xg::sum(w32);  // d/dw = 2 (2 * 2w) + 2
  loss.backward();
  CHECK(w.grad()(0) == doctest::Approx(8 * 2.0 + 2));
  CHECK(w.grad()(1) == doctest::Approx(8 * 3.0 + 2));
  // Same type: the tensor itself; no grad or no_grad: a plain leaf.
  CHECK(x.to<float>().node() == x.node());
  CHECK_FALSE(xg::zeros({2}).to<double>().requires_grad());
  xg::no_grad guard;
  CHECK_FALSE(x.to<double>().requires_grad());
}

TEST_CASE("conveniences: a float64 gradcheck through a cast from float64 and back") {
  auto r = xg::autograd::gradcheck(
      [](const std::vector<xg::Tensor64>& in) { return xg::tanh(in[0]).to<float>().to<double>() * 1.0; },
      {xg::randn<double>({3}, true)}, {.eps = 1e-3, .atol = 1e-3, .rtol = 1e-2});
  CHECK_MESSAGE(r.passed, r.message);
}
