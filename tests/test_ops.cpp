// Forward values and gradients of every op on small inputs worked out by hand,
// in float and double, plus the numerical edge cases: softmax of 1e4, sigmoid
// of +-1000, ties in max/maximum, kinks of abs/relu/clamp at their corners.

#include <doctest/doctest.h>

#include <cmath>
#include <limits>
#include <vector>

#include <xgrad/xgrad.hpp>

namespace {

template <class S>
using T = xg::BasicTensor<S>;
template <class S>
using A = xg::Array<S>;

// Expected values are written in double whatever S is.
template <class S>
void check_close(const A<S>& actual, const A<double>& expected, double tolerance = 1e-6) {
  REQUIRE(xg::shape_to_string(actual.shape()) == xg::shape_to_string(expected.shape()));
  for (std::size_t i = 0; i < actual.size(); ++i) {
    CAPTURE(i);
    CHECK(actual.data()[i] == doctest::Approx(expected.data()[i]).epsilon(tolerance));
  }
}

// An (n, 1) array: xtensor reads {{1}, {2}} as ambiguous between 1-D and 2-D.
A<double> column(std::initializer_list<double> values) {
  A<double> a = values;
  a.reshape({values.size(), 1});
  return a;
}

bool all_finite(const auto& a) {
  for (auto v : a)
    if (!std::isfinite(v)) return false;
  return true;
}

}  // namespace

TEST_CASE_TEMPLATE("ops: add/sub/mul/div broadcast (3,1) with (1,4) and (2,3) with (3,)", S, float, double) {
  T<S> col = xg::tensor<S>(column({1, 2, 3}), true);
  T<S> row = xg::tensor<S>({{10, 20, 30, 40}}, true);
  auto sum = col + row;
  check_close<S>(sum.value(), {{11, 21, 31, 41}, {12, 22, 32, 42}, {13, 23, 33, 43}});
  xg::sum(sum).backward();
  check_close<S>(col.grad(), column({4, 4, 4}));  // each row element is used 4 times
  check_close<S>(row.grad(), {{3, 3, 3, 3}});

  T<S> m = xg::tensor<S>({{1, 2, 3}, {4, 5, 6}}, true);
  T<S> v = xg::tensor<S>({2, 4, 8}, true);
  check_close<S>((m - v).value(), {{-1, -2, -5}, {2, 1, -2}});
  check_close<S>((m / v).value(), {{0.5, 0.5, 0.375}, {2, 1.25, 0.75}});
  auto prod = m * v;
  check_close<S>(prod.value(), {{2, 8, 24}, {8, 20, 48}});
  xg::sum(prod).backward();
  check_close<S>(v.grad(), {5, 7, 9});  // column sums of m
  check_close<S>(m.grad(), {{2, 4, 8}, {2, 4, 8}});
}

TEST_CASE_TEMPLATE("ops: scalar operators on either side", S, float, double) {
  T<S> x = xg::tensor<S>({1, 2, 4}, true);
  check_close<S>((x + S(1)).value(), {2, 3, 5});
  check_close<S>((S(1) + x).value(), {2, 3, 5});
  check_close<S>((x - S(1)).value(), {0, 1, 3});
  check_close<S>((S(1) - x).value(), {0, -1, -3});
  check_close<S>((x * S(3)).value(), {3, 6, 12});
  check_close<S>((S(3) * x).value(), {3, 6, 12});
  check_close<S>((x / S(2)).value(), {0.5, 1, 2});
  check_close<S>((S(2) / x).value(), {2, 1, 0.5});
  check_close<S>((-x).value(), {-1, -2, -4});
  xg::sum(S(2) / x).backward();
  check_close<S>(x.grad(), {-2, -0.5, -0.125});  // -2 / x^2
}

TEST_CASE_TEMPLATE("ops: pow values and gradients, including exponent 0 at x = 0", S, float, double) {
  T<S> x = xg::tensor<S>({0, 1, 2, 3}, true);
  auto sq = xg::pow(x, 2.0);
  check_close<S>(sq.value(), {0, 1, 4, 9});
  xg::sum(sq).backward();
  check_close<S>(x.grad(), {0, 2, 4, 6});

  x.zero_grad();
  auto zero = xg::pow(x, 0.0);
  check_close<S>(zero.value(), {1, 1, 1, 1});
  xg::sum(zero).backward();
  check_close<S>(x.grad(), {0, 0, 0, 0});  // not 0 * inf = NaN at x = 0

  T<S> y = xg::tensor<S>({4, 9}, true);
  auto root = xg::pow(y, 0.5);
  check_close<S>(root.value(), {2, 3});
  xg::sum(root).backward();
  check_close<S>(y.grad(), {0.25, 1.0 / 6});

  T<S> z = xg::tensor<S>({-2}, true);
  auto cube = xg::pow(z, 3.0);
  check_close<S>(cube.value(), {-8});
  xg::sum(cube).backward();
  check_close<S>(z.grad(), {12});
}

TEST_CASE_TEMPLATE("ops: sin, cos", S, float, double) {
  T<S> x = xg::tensor<S>({0, M_PI / 6, M_PI / 2}, true);
  auto s = xg::sin(x);
  check_close<S>(s.value(), {0, 0.5, 1});
  xg::sum(s).backward();
  check_close<S>(x.grad(), {1, std::sqrt(3.0) / 2, 0});  // cos x

  T<S> y = xg::tensor<S>({0, M_PI / 3, M_PI}, true);
  auto c = xg::cos(y);
  check_close<S>(c.value(), {1, 0.5, -1});
  xg::sum(c).backward();
  check_close<S>(y.grad(), {0, -std::sqrt(3.0) / 2, 0});  // -sin y
}

TEST_CASE_TEMPLATE("ops: exp, log, sqrt, abs", S, float, double) {
  T<S> x = xg::tensor<S>({0, 1, -1}, true);
  auto e = xg::exp(x);
  check_close<S>(e.value(), {1, M_E, 1 / M_E});
  xg::sum(e).backward();
  check_close<S>(x.grad(), {1, M_E, 1 / M_E});

  T<S> p = xg::tensor<S>({1, M_E, 4}, true);
  auto l = xg::log(p);
  check_close<S>(l.value(), {0, 1, std::log(4.0)});
  xg::sum(l).backward();
  check_close<S>(p.grad(), {1, 1 / M_E, 0.25});

  T<S> q = xg::tensor<S>({4, 0.25}, true);
  auto r = xg::sqrt(q);
  check_close<S>(r.value(), {2, 0.5});
  xg::sum(r).backward();
  check_close<S>(q.grad(), {0.25, 1});  // 1 / (2 sqrt q)

  T<S> a = xg::tensor<S>({-3, 0, 2}, true);
  auto ab = xg::abs(a);
  check_close<S>(ab.value(), {3, 0, 2});
  xg::sum(ab).backward();
  check_close<S>(a.grad(), {-1, 0, 1});  // sign, 0 at the kink as in PyTorch
}

TEST_CASE_TEMPLATE("ops: log and sqrt at the edge of their domains follow IEEE as PyTorch does", S, float, double) {
  auto l = xg::log(xg::tensor<S>({0}));
  CHECK(l.value()(0) == -std::numeric_limits<S>::infinity());
  auto s = xg::sqrt(xg::tensor<S>({0}));
  CHECK(s.value()(0) == S(0));
}

TEST_CASE_TEMPLATE("ops: clamp values and gradient, bounds included", S, float, double) {
  T<S> x = xg::tensor<S>({-2, -1, -0.5, 0.5, 1, 2}, true);
  auto c = xg::clamp(x, -1.0, 1.0);
  check_close<S>(c.value(), {-1, -1, -0.5, 0.5, 1, 1});
  xg::sum(c).backward();
  check_close<S>(x.grad(), {0, 1, 1, 1, 1, 0});
  check_close<S>(xg::clamp(x, 0.0).value(), {0, 0, 0, 0.5, 1, 2});
  check_close<S>(xg::clamp(x, -std::numeric_limits<double>::infinity(), 0.0).value(), {-2, -1, -0.5, 0, 0, 0});
  check_close<S>(xg::clamp(x, 0.25, 0.25).value(), {0.25, 0.25, 0.25, 0.25, 0.25, 0.25});
}

TEST_CASE_TEMPLATE("ops: maximum and minimum broadcast and split ties evenly", S, float, double) {
  T<S> a = xg::tensor<S>({1, 2, 3}, true);
  T<S> b = xg::tensor<S>({3, 2, 1}, true);
  auto mx = xg::maximum(a, b);
  check_close<S>(mx.value(), {3, 2, 3});
  xg::sum(mx).backward();
  check_close<S>(a.grad(), {0, 0.5, 1});
  check_close<S>(b.grad(), {1, 0.5, 0});

  a.zero_grad();
  b.zero_grad();
  auto mn = xg::minimum(a, b);
  check_close<S>(mn.value(), {1, 2, 1});
  xg::sum(mn).backward();
  check_close<S>(a.grad(), {1, 0.5, 0});
  check_close<S>(b.grad(), {0, 0.5, 1});

  // (2, 1) against (3,): the column's gradient sums over the row it was stretched to.
  T<S> col = xg::tensor<S>(column({0, 5}), true);
  T<S> row = xg::tensor<S>({-1, 0, 1}, true);
  auto m = xg::maximum(col, row);
  check_close<S>(m.value(), {{0, 0, 1}, {5, 5, 5}});
  xg::sum(m).backward();
  check_close<S>(col.grad(), column({1 + 0.5, 3}));
  check_close<S>(row.grad(), {0, 0.5, 1});
}

TEST_CASE_TEMPLATE("ops: tanh, sigmoid, relu values and gradients", S, float, double) {
  T<S> x = xg::tensor<S>({-1, 0, 2}, true);
  auto t = xg::tanh(x);
  check_close<S>(t.value(), {std::tanh(-1.0), 0, std::tanh(2.0)});
  xg::sum(t).backward();
  check_close<S>(x.grad(), {1 - std::pow(std::tanh(1.0), 2), 1, 1 - std::pow(std::tanh(2.0), 2)});

  x.zero_grad();
  auto s = xg::sigmoid(x);
  check_close<S>(s.value(), {1 / (1 + M_E), 0.5, 1 / (1 + std::exp(-2.0))});
  xg::sum(s).backward();
  const double s2 = 1 / (1 + std::exp(-2.0));
  check_close<S>(x.grad(), {(1 / (1 + M_E)) * (M_E / (1 + M_E)), 0.25, s2 * (1 - s2)});

  x.zero_grad();
  auto r = xg::relu(x);
  check_close<S>(r.value(), {0, 0, 2});
  xg::sum(r).backward();
  check_close<S>(x.grad(), {0, 0, 1});  // no gradient at 0, as in PyTorch
}

TEST_CASE_TEMPLATE("ops: sigmoid saturates without overflow or NaN", S, float, double) {
  T<S> x = xg::tensor<S>({-1000, -100, 100, 1000}, true);
  auto s = xg::sigmoid(x);
  CHECK(all_finite(s.value()));
  CHECK(s.value()(0) == S(0));
  CHECK(s.value()(3) == S(1));
  xg::sum(s).backward();
  CHECK(all_finite(x.grad()));
  CHECK(x.grad()(0) == S(0));
}

TEST_CASE_TEMPLATE("ops: softmax and log_softmax values, along the last axis and along axis 0", S, float, double) {
  // e / (e + e^2 + e^3) and so on.
  const double z = M_E + M_E * M_E + M_E * M_E * M_E;
  const A<double> expected = {M_E / z, M_E * M_E / z, M_E * M_E * M_E / z};
  T<S> x = xg::tensor<S>({1, 2, 3});
  check_close<S>(xg::softmax(x).value(), expected);
  check_close<S>(xg::log_softmax(x).value(), {1 - std::log(z), 2 - std::log(z), 3 - std::log(z)});

  T<S> m = xg::tensor<S>({{1, 5}, {1, 2}});
  check_close<S>(xg::softmax(m, 0).value(), {{0.5, 1 / (1 + std::exp(-3.0))}, {0.5, 1 / (1 + std::exp(3.0))}});
  check_close<S>(xg::softmax(m, -1).value(),
                 {{1 / (1 + std::exp(4.0)), 1 / (1 + std::exp(-4.0))}, {1 / (1 + M_E), 1 / (1 + 1 / M_E)}});
}

TEST_CASE_TEMPLATE("ops: softmax and log_softmax of inputs around 1e4 neither overflow nor lose the answer", S, float,
                   double) {
  // Softmax is invariant to shifting all inputs; 1e4 + k is exact in float.
  const double z = M_E + M_E * M_E + M_E * M_E * M_E;
  T<S> big = xg::tensor<S>({1e4 + 1, 1e4 + 2, 1e4 + 3}, true);
  auto s = xg::softmax(big);
  check_close<S>(s.value(), {M_E / z, M_E * M_E / z, M_E * M_E * M_E / z}, 1e-5);
  auto ls = xg::log_softmax(big);
  check_close<S>(ls.value(), {1 - std::log(z), 2 - std::log(z), 3 - std::log(z)}, 1e-5);
  xg::sum(ls * xg::tensor<S>({1, 0, 0})).backward();
  // d log_softmax_0 / dx = onehot_0 - softmax
  check_close<S>(big.grad(), {1 - M_E / z, -M_E * M_E / z, -M_E * M_E * M_E / z}, 1e-5);

  auto extreme = xg::log_softmax(xg::tensor<S>({1e4, -1e4}));
  CHECK(all_finite(extreme.value()));
  CHECK(extreme.value()(0) == S(0));
  CHECK(extreme.value()(1) == S(-2e4));
}

TEST_CASE_TEMPLATE("ops: softmax backward is y * (g - sum(g * y))", S, float, double) {
  T<S> x = xg::tensor<S>(A<double>{0, std::log(3.0)}, true);  // softmax = (1/4, 3/4)
  auto y = xg::softmax(x);
  check_close<S>(y.value(), {0.25, 0.75});
  y.backward(A<S>{1, 0});
  // y0 (1 - y0) = 3/16, -y0 y1 = -3/16
  check_close<S>(x.grad(), {3.0 / 16, -3.0 / 16});
}

TEST_CASE_TEMPLATE("ops: sum, mean and max of arange(24) shaped (2, 3, 4) by hand", S, float, double) {
  // x[i, j, k] = 12 i + 4 j + k
  auto x = xg::arange<S>(24).reshape({2, 3, 4}).detach().requires_grad_();
  // over j: sum = 36 i + 3 k + 12, mean = 12 i + k + 4, max = 12 i + k + 8
  A<S> sum_j = A<S>::from_shape({2, 4}), mean_j = A<S>::from_shape({2, 4}), max_j = A<S>::from_shape({2, 4});
  for (std::size_t i = 0; i < 2; ++i)
    for (std::size_t k = 0; k < 4; ++k) {
      sum_j(i, k) = S(36 * i + 3 * k + 12);
      mean_j(i, k) = S(12 * i + k + 4);
      max_j(i, k) = S(12 * i + k + 8);
    }
  check_close<S>(xg::sum(x, {1}).value(), sum_j);
  check_close<S>(xg::mean(x, {1}).value(), mean_j);
  check_close<S>(xg::max(x, {-2}).value(), max_j);
  CHECK(xg::shape_to_string(xg::sum(x, {1}, true).shape()) == "(2, 1, 4)");
  CHECK(xg::shape_to_string(xg::mean(x, {0, 2}).shape()) == "(3,)");
  CHECK(xg::shape_to_string(xg::max(x, {0, 2}, true).shape()) == "(1, 3, 1)");
  // over i and k: mean = 4 j + 6 + 1.5 = 4 j + 7.5, max = 12 + 4 j + 3
  check_close<S>(xg::mean(x, {0, 2}).value(), {7.5, 11.5, 15.5});
  check_close<S>(xg::max(x, {0, 2}).value(), {15, 19, 23});
  CHECK(xg::sum(x).item() == S(276));  // 23 * 24 / 2
  CHECK(xg::mean(x).item() == S(11.5));
  CHECK(xg::max(x).item() == S(23));
  CHECK(xg::sum(x).dim() == 0);
  // An empty axis list reduces nothing, as numpy's axis=().
  CHECK(xg::sum(x, {}).value() == x.value());
}

TEST_CASE_TEMPLATE("ops: mean's gradient is 1/n over the reduced axes", S, float, double) {
  auto x = xg::zeros<S>({2, 5}, true);
  xg::mean(x).backward();
  for (S g : x.grad()) CHECK(g == doctest::Approx(0.1));
  x.zero_grad();
  xg::sum(xg::mean(x, {1}, true)).backward();
  for (S g : x.grad()) CHECK(g == doctest::Approx(0.2));
}

TEST_CASE_TEMPLATE("ops: max splits the gradient evenly among tied maxima", S, float, double) {
  T<S> x = xg::tensor<S>({5, 5, 1, 5}, true);
  xg::max(x).backward();
  check_close<S>(x.grad(), {1.0 / 3, 1.0 / 3, 0, 1.0 / 3});

  T<S> m = xg::tensor<S>({{1, 3, 3}, {2, 2, 0}}, true);
  auto mx = xg::max(m, {1});
  check_close<S>(mx.value(), {3, 2});
  mx.backward(A<S>{1, 10});
  check_close<S>(m.grad(), {{0, 0.5, 0.5}, {5, 5, 0}});
}

TEST_CASE("ops: max propagates NaN as PyTorch does") {
  const double nan = std::numeric_limits<double>::quiet_NaN();
  CHECK(std::isnan(xg::max(xg::tensor<double>({1.0, nan, 3.0})).item()));
  CHECK(std::isnan(xg::max(xg::tensor<double>({nan, 1.0})).item()));
  CHECK(std::isnan(xg::maximum(xg::tensor<double>({nan}), xg::tensor<double>({1.0})).item()));
  CHECK(std::isnan(xg::maximum(xg::tensor<double>({1.0}), xg::tensor<double>({nan})).item()));
}

TEST_CASE_TEMPLATE("ops: matmul for each 1-D/2-D combination", S, float, double) {
  T<S> m = xg::tensor<S>({{1, 2, 3}, {4, 5, 6}}, true);    // (2, 3)
  T<S> n = xg::tensor<S>({{1, 0}, {0, 1}, {1, 1}}, true);  // (3, 2)
  T<S> v = xg::tensor<S>({1, -1, 2}, true);                // (3,)
  T<S> w = xg::tensor<S>({3, 1}, true);                    // (2,)
  check_close<S>(xg::matmul(m, n).value(), {{4, 5}, {10, 11}});
  check_close<S>(xg::matmul(m, v).value(), {5, 11});
  check_close<S>(xg::matmul(w, m).value(), {7, 11, 15});
  auto dot = xg::matmul(v, v);
  CHECK(dot.dim() == 0);
  CHECK(dot.item() == S(6));
  dot.backward();
  check_close<S>(v.grad(), {2, -2, 4});  // d(v.v)/dv = 2v

  xg::sum(xg::matmul(m, n)).backward();
  check_close<S>(m.grad(), {{1, 1, 2}, {1, 1, 2}});    // row sums of n
  check_close<S>(n.grad(), {{5, 5}, {7, 7}, {9, 9}});  // column sums of m
}

TEST_CASE_TEMPLATE("ops: transpose and reshape move gradients back", S, float, double) {
  T<S> x = xg::tensor<S>({{1, 2, 3}, {4, 5, 6}}, true);
  auto t = xg::transpose(x);
  check_close<S>(t.value(), {{1, 4}, {2, 5}, {3, 6}});
  t.backward(A<S>{{1, 2}, {3, 4}, {5, 6}});
  check_close<S>(x.grad(), {{1, 3, 5}, {2, 4, 6}});
  x.zero_grad();
  auto r = xg::reshape(x, {3, 2});
  r.backward(A<S>{{1, 2}, {3, 4}, {5, 6}});
  check_close<S>(x.grad(), {{1, 2, 3}, {4, 5, 6}});
}

TEST_CASE_TEMPLATE("ops: concat joins along an axis and hands each input its part of the gradient", S, float, double) {
  T<S> a = xg::tensor<S>({{1, 2}}, true);
  T<S> b = xg::tensor<S>({{3, 4}, {5, 6}}, true);
  auto rows = xg::concat(std::vector<T<S>>{a, b}, 0);
  check_close<S>(rows.value(), {{1, 2}, {3, 4}, {5, 6}});
  rows.backward(A<S>{{1, 2}, {3, 4}, {5, 6}});
  check_close<S>(a.grad(), {{1, 2}});
  check_close<S>(b.grad(), {{3, 4}, {5, 6}});

  T<S> c = xg::tensor<S>(column({7, 8}), true);
  auto cols = xg::concat(std::vector<T<S>>{b, c, b}, -1);
  check_close<S>(cols.value(), {{3, 4, 7, 3, 4}, {5, 6, 8, 5, 6}});
  b.zero_grad();
  cols.backward(A<S>{{1, 2, 3, 4, 5}, {6, 7, 8, 9, 10}});
  check_close<S>(b.grad(), {{1 + 4, 2 + 5}, {6 + 9, 7 + 10}});
  check_close<S>(c.grad(), column({3, 8}));

  check_close<S>(xg::concat(std::vector<T<S>>{xg::tensor<S>({1, 2}), xg::tensor<S>({3})}).value(), {1, 2, 3});
  CHECK(xg::concat(std::vector<T<S>>{xg::zeros<S>({0, 2}), b}).numel() == 4);
}

TEST_CASE_TEMPLATE("ops: index_select picks rows and scatter-adds repeated indices", S, float, double) {
  T<S> x = xg::tensor<S>({{1, 2}, {3, 4}, {5, 6}}, true);
  const std::vector<std::size_t> indices = {2, 0, 2};
  auto picked = xg::index_select(x, indices);
  check_close<S>(picked.value(), {{5, 6}, {1, 2}, {5, 6}});
  picked.backward(A<S>{{1, 1}, {1, 1}, {1, 2}});
  check_close<S>(x.grad(), {{1, 1}, {0, 0}, {2, 3}});

  T<S> v = xg::tensor<S>({10, 20, 30});
  check_close<S>(xg::index_select(v, std::vector<std::size_t>{1, 1}).value(), {20, 20});
  CHECK(xg::shape_to_string(xg::index_select(x, std::vector<std::size_t>{}).shape()) == "(0, 2)");
}

TEST_CASE_TEMPLATE("ops: gather takes one element per row", S, float, double) {
  T<S> x = xg::tensor<S>({{1, 2, 3}, {4, 5, 6}}, true);
  const std::vector<std::size_t> indices = {2, 0};
  auto g = xg::gather(x, indices);
  check_close<S>(g.value(), {3, 4});
  g.backward(A<S>{10, 20});
  check_close<S>(x.grad(), {{0, 0, 10}, {20, 0, 0}});
}

TEST_CASE("ops: cross-entropy from log_softmax and gather matches the formula") {
  // Uniform logits over 4 classes: the loss is log 4 whatever the targets.
  auto logits = xg::zeros<double>({3, 4}, true);
  const std::vector<std::size_t> targets = {0, 3, 1};
  auto loss = -xg::mean(xg::gather(xg::log_softmax(logits, 1), targets));
  CHECK(loss.item() == doctest::Approx(std::log(4.0)));
  loss.backward();
  // d/dlogits = (softmax - onehot) / n = (1/4 - [target]) / 3
  CHECK(logits.grad()(0, 0) == doctest::Approx((0.25 - 1) / 3));
  CHECK(logits.grad()(0, 1) == doctest::Approx(0.25 / 3));
  CHECK(logits.grad()(1, 3) == doctest::Approx((0.25 - 1) / 3));
}
