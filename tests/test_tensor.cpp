// The tensor handle and the ways to make one: factories, conversions from
// xtensor, seeded random draws and their statistics, accessors.

#include <doctest/doctest.h>

#include <cmath>
#include <cstring>
#include <string>
#include <vector>

#include <xtensor/xadapt.hpp>

#include <xgrad/xgrad.hpp>

#include "exception_message.hpp"

namespace {

using xg::testing::contains;

template <class S>
bool bit_identical(const xg::BasicTensor<S>& a, const xg::BasicTensor<S>& b) {
  return xg::shapes_equal(a.shape(), b.shape()) &&
         std::memcmp(a.value().data(), b.value().data(), a.numel() * sizeof(S)) == 0;
}

template <class S>
double mean_of(const xg::BasicTensor<S>& t) {
  double total = 0;
  for (S v : t.value()) total += v;
  return total / static_cast<double>(t.numel());
}

template <class S>
double std_of(const xg::BasicTensor<S>& t) {
  const double m = mean_of(t);
  double total = 0;
  for (S v : t.value()) total += (v - m) * (v - m);
  return std::sqrt(total / static_cast<double>(t.numel()));
}

}  // namespace

TEST_CASE_TEMPLATE("tensor: zeros, ones and full have the shape and value asked for", S, float, double) {
  auto z = xg::zeros<S>({2, 3});
  auto o = xg::ones<S>({4}, true);
  auto f = xg::full<S>({2, 1, 2}, S(-1.5));
  CHECK(xg::shape_to_string(z.shape()) == "(2, 3)");
  CHECK(z.dim() == 2);
  CHECK(z.numel() == 6);
  for (S v : z.value()) CHECK(v == S(0));
  CHECK(o.numel() == 4);
  CHECK(o.requires_grad());
  CHECK_FALSE(z.requires_grad());
  for (S v : o.value()) CHECK(v == S(1));
  CHECK(f.numel() == 4);
  for (S v : f.value()) CHECK(v == S(-1.5));
  auto s = xg::zeros<S>({});
  CHECK(s.dim() == 0);
  CHECK(s.numel() == 1);
  auto empty = xg::zeros<S>({0, 3});
  CHECK(empty.numel() == 0);
}

TEST_CASE("tensor: arange counts like numpy.arange") {
  CHECK(xg::arange(5).value() == xg::Array<float>{0, 1, 2, 3, 4});
  CHECK(xg::arange<double>(1, 2, 0.25).value() == xg::Array<double>{1.0, 1.25, 1.5, 1.75});
  CHECK(xg::arange<double>(3, 0, -1).value() == xg::Array<double>{3, 2, 1});
  CHECK(xg::arange(0, 1, 0.1).numel() == 10);  // ceil((1 - 0) / 0.1)
  CHECK(xg::arange(2, 2).numel() == 0);
  CHECK(xg::arange(5, 0).numel() == 0);
  CHECK_THROWS_AS(xg::arange(0, 1, 0), std::invalid_argument);
}

TEST_CASE_TEMPLATE("tensor: rand, randn and uniform draw shapes and ranges", S, float, double) {
  xg::Generator gen(11);
  auto r = xg::rand<S>({10, 100}, false, gen);
  CHECK(xg::shape_to_string(r.shape()) == "(10, 100)");
  for (S v : r.value()) {
    CHECK(v >= S(0));
    CHECK(v < S(1));
  }
  auto u = xg::uniform<S>({1000}, -3.0, -2.5, true, gen);
  CHECK(u.requires_grad());
  for (S v : u.value()) {
    CHECK(v >= S(-3));
    CHECK(v <= S(-2.5));  // float rounding may reach the upper bound
  }
  auto n = xg::randn<S>({3, 4, 5}, false, gen);
  CHECK(n.numel() == 60);
  for (S v : n.value()) CHECK(std::isfinite(v));
  CHECK_THROWS_AS(xg::uniform<S>({2}, 1.0, 0.0, false, gen), std::invalid_argument);
}

TEST_CASE("tensor: the same seed gives bit-identical draws; different seeds differ") {
  xg::Generator a(123), b(123), c(124);
  auto ra = xg::randn<double>({1000}, false, a);
  auto rb = xg::randn<double>({1000}, false, b);
  auto rc = xg::randn<double>({1000}, false, c);
  CHECK(bit_identical(ra, rb));
  CHECK_FALSE(bit_identical(ra, rc));
  CHECK(bit_identical(xg::rand<float>({7, 3}, false, a), xg::rand<float>({7, 3}, false, b)));
  CHECK(bit_identical(xg::uniform<double>({50}, -1, 1, false, a), xg::uniform<double>({50}, -1, 1, false, b)));

  // The default generator, seeded as torch.manual_seed seeds it.
  xg::manual_seed(77);
  auto d1 = xg::rand({20});
  xg::manual_seed(77);
  auto d2 = xg::rand({20});
  CHECK(bit_identical(d1, d2));
  CHECK(xg::default_generator().initial_seed() == 77);
}

TEST_CASE("tensor: a generator's saved state replays the same draws") {
  xg::Generator gen(5);
  xg::randn<double>({10}, false, gen);
  const std::string state = gen.state();
  auto first = xg::randn<double>({100}, false, gen);
  xg::Generator other;
  other.set_state(state);
  CHECK(bit_identical(first, xg::randn<double>({100}, false, other)));
  CHECK_THROWS_AS(other.set_state("not a state"), std::invalid_argument);
}

TEST_CASE("tensor: randn has mean 0 and standard deviation 1 within statistical bounds over 100k draws") {
  // The sample mean of n standard normals has standard deviation 1/sqrt(n) =
  // 0.00316 and the sample std about 1/sqrt(2n) = 0.00224: 5 sigma bounds.
  xg::Generator gen(2024);
  auto n = xg::randn<double>({100000}, false, gen);
  CHECK(std::abs(mean_of(n)) < 5 * 0.00316);
  CHECK(std::abs(std_of(n) - 1.0) < 5 * 0.00224);
  // 68.27% of a normal lies within one sigma; a binomial proportion over 100k
  // has standard deviation sqrt(p(1-p)/n) = 0.00147.
  std::size_t within = 0;
  for (double v : n.value()) within += std::abs(v) < 1.0;
  CHECK(std::abs(static_cast<double>(within) / 100000.0 - 0.6827) < 5 * 0.00147);

  // Uniform [0, 1): mean 1/2, std 1/sqrt(12) = 0.288675; its sample mean has
  // standard deviation 0.288675/sqrt(n) = 0.000913.
  auto u = xg::rand<double>({100000}, false, gen);
  CHECK(std::abs(mean_of(u) - 0.5) < 5 * 0.000913);
  CHECK(std::abs(std_of(u) - 0.288675) < 0.003);
}

TEST_CASE("tensor: made from an xarray, an adapted buffer and literals") {
  xg::Array<double> values = {{1.0, 2.0}, {3.0, 4.0}};
  auto from_array = xg::tensor(values);
  static_assert(std::is_same_v<decltype(from_array), xg::Tensor64>);
  CHECK(from_array.value() == values);
  values(0, 0) = 9.0;  // the tensor holds its own copy
  CHECK(from_array.value()(0, 0) == 1.0);

  std::vector<float> buffer = {1, 2, 3, 4, 5, 6};
  auto adapted = xg::tensor(xt::adapt(buffer, std::vector<std::size_t>{2, 3}), true);
  static_assert(std::is_same_v<decltype(adapted), xg::Tensor>);
  CHECK(xg::shape_to_string(adapted.shape()) == "(2, 3)");
  CHECK(adapted.value()(1, 2) == 6.0f);
  CHECK(adapted.requires_grad());
  buffer[0] = 100;
  CHECK(adapted.value()(0, 0) == 1.0f);

  // Integers become float unless a type is named.
  xt::xarray<int> ints = {1, 2, 3};
  CHECK(std::is_same_v<decltype(xg::tensor(ints)), xg::Tensor>);
  auto as_double = xg::tensor<double>(ints);
  CHECK(as_double.value() == xg::Array<double>{1.0, 2.0, 3.0});

  auto literal = xg::tensor({{1, 2, 3}, {4, 5, 6}});
  static_assert(std::is_same_v<decltype(literal), xg::Tensor>);
  CHECK(xg::shape_to_string(literal.shape()) == "(2, 3)");
  CHECK(literal.value()(1, 0) == 4.0f);

  auto s = xg::scalar_tensor(2.5);
  static_assert(std::is_same_v<decltype(s), xg::Tensor64>);
  CHECK(s.dim() == 0);
  CHECK(s.item() == 2.5);
}

TEST_CASE("tensor: item() reads a one-element tensor and names the shape otherwise") {
  CHECK(xg::full<float>({1, 1}, 7.0f).item() == 7.0f);
  CHECK(xg::scalar_tensor(-1.0f).item() == -1.0f);
  auto three = xg::tensor({1.0f, 2.0f, 3.0f});
  CHECK_THROWS_AS(three.item(), std::invalid_argument);
  try {
    three.item();
  } catch (const std::invalid_argument& e) {
    CHECK(std::string(e.what()) == "item: needs a tensor with exactly one element, got shape (3,) (3 elements)");
  }
}

TEST_CASE("tensor: value() and grad() can be assigned; copies share them") {
  auto t = xg::zeros({2}, true);
  t.value() = xg::Array<float>{1.0f, 2.0f};
  CHECK(t.value() == xg::Array<float>{1.0f, 2.0f});
  CHECK_FALSE(t.has_grad());
  CHECK(t.grad() == xg::Array<float>{0.0f, 0.0f});  // reading materialises zeros
  CHECK(t.has_grad());
  t.grad() = xg::Array<float>{0.5f, -0.5f};
  auto copy = t;
  copy.value()(0) = 10.0f;
  CHECK(t.value()(0) == 10.0f);
  CHECK(copy.grad() == xg::Array<float>{0.5f, -0.5f});
  CHECK(copy.node() == t.node());

  // A gradient assigned with another shape is refused when backward adds to it.
  t.grad() = xg::Array<float>{1.0f, 2.0f, 3.0f};
  CHECK_THROWS_AS(xg::sum(t * 2.0f).backward(), xg::ShapeError);
}

TEST_CASE("tensor: op() names the op that made a tensor") {
  auto x = xg::ones({2}, true);
  CHECK(std::string(x.op()) == "leaf");
  CHECK(std::string((x + x).op()) == "add");
  CHECK(std::string(xg::softmax(x).op()) == "softmax");
  CHECK(std::string(xg::max(x).op()) == "max");
}

TEST_CASE("tensor: an undefined tensor throws instead of crashing") {
  xg::Tensor undefined;
  CHECK_FALSE(undefined.defined());
  CHECK_THROWS_AS(undefined.value(), std::logic_error);
  CHECK_THROWS_AS(undefined.backward(), std::logic_error);
  CHECK_THROWS_AS(undefined.item(), std::logic_error);
  auto x = xg::ones({2});
  CHECK_THROWS_AS(x + undefined, std::logic_error);
  CHECK_THROWS_AS(xg::exp(undefined), std::logic_error);
  CHECK_THROWS_AS(xg::concat(std::vector<xg::Tensor>{x, undefined}), std::logic_error);
}

TEST_CASE("tensor: Tensor64 computes in double precision") {
  auto a = xg::full<double>({3}, 1.0, true);
  auto b = a + 1e-12;
  CHECK(b.value()(0) != 1.0);
  CHECK(b.value()(0) - 1.0 == doctest::Approx(1e-12).epsilon(1e-3));
  auto loss = xg::sum(xg::log(b) * 1e12);
  loss.backward();
  // d/da of 1e12 log(a + 1e-12) = 1e12 / (1 + 1e-12)
  CHECK(a.grad()(1) == doctest::Approx(1e12 / (1 + 1e-12)));
  auto f = xg::full<float>({1}, 1.0f) + 1e-12f;
  CHECK(f.value()(0) == 1.0f);  // the float tensor cannot tell
}

TEST_CASE("tensor: T() and reshape() are the free functions") {
  auto x = xg::tensor({{1.0f, 2.0f, 3.0f}, {4.0f, 5.0f, 6.0f}});
  CHECK(x.T().value() == xg::Array<float>{{1, 4}, {2, 5}, {3, 6}});
  CHECK(x.reshape({3, 2}).value() == xg::Array<float>{{1, 2}, {3, 4}, {5, 6}});
  CHECK(x.reshape({6}).value() == xg::Array<float>{1, 2, 3, 4, 5, 6});
}
