// LBFGS (torch.optim.LBFGS): its first two iterations against the formulas
// written here, the minimum of a quadratic and of Rosenbrock's function,
// the strong Wolfe conditions at the step the line search picks, option
// validation, state_dict and bit-identical resume.

#include <cmath>
#include <stdexcept>
#include <string>
#include <vector>

#include <doctest/doctest.h>

#include <xgrad/optim/optim.hpp>
#include <xgrad/xgrad.hpp>

#include "exception_message.hpp"
#include "optim_test_support.hpp"

using xg::optim::LBFGS;
using xg::optim::LBFGSLineSearch;

namespace {

using Vec = std::vector<double>;

// f(x) = ½xᵀAx − bᵀx with A symmetric positive definite and b = A·x*, so the
// minimum is at x* = (1, −2, 0.5).
struct Quadratic {
  xg::BasicTensor<double> x = xg::zeros<double>({3}, true);
  const xg::BasicTensor<double> a = xg::tensor<double>(xg::Array<double>{{3, 1, 0}, {1, 2, 0.5}, {0, 0.5, 1}});
  const xg::BasicTensor<double> b = xg::tensor<double>(xg::Array<double>{1, -2.75, -0.5});

  double operator()() const {
    auto column = xg::reshape(x, {3, 1});
    auto loss = 0.5 * xg::sum(column * xg::matmul(a, column)) - xg::sum(b * x);
    loss.backward();
    return loss.item();
  }
  Vec gradient(const Vec& at) const {
    Vec g(3);
    for (std::size_t i = 0; i < 3; ++i) {
      g[i] = -b.value()(i);
      for (std::size_t j = 0; j < 3; ++j) g[i] += a.value()(i, j) * at[j];
    }
    return g;
  }
};

double dot(const Vec& u, const Vec& v) {
  double s = 0;
  for (std::size_t i = 0; i < u.size(); ++i) s += u[i] * v[i];
  return s;
}

// Rosenbrock's f(x, y) = (1 − x)² + 100(y − x²)², minimum 0 at (1, 1).
struct Rosenbrock {
  xg::BasicTensor<double> p = xg::tensor<double>(xg::Array<double>{-1.5, 2.0}, true);
  double operator()() const {
    const auto first = xg::tensor<double>(xg::Array<double>{1.0, 0.0});
    const auto second = xg::tensor<double>(xg::Array<double>{0.0, 1.0});
    auto x = xg::sum(p * first), y = xg::sum(p * second);
    auto loss = (1.0 - x) * (1.0 - x) + 100.0 * (y - x * x) * (y - x * x);
    loss.backward();
    return loss.item();
  }
};

}  // namespace

TEST_CASE("LBFGS: the first two iterations equal the formulas worked here") {
  // No line search, lr = 0.5, max_iter = 2 (and max_eval = 10: its default,
  // 2·5/4 = 2 evaluations, would end the step after the first iteration), from x0 = 0:
  //   g0 = −b;  iteration 1: d = −g0, t = min(1, 1/‖g0‖₁)·lr, x1 = x0 + t·d
  //   iteration 2: s = t·d, y = g1 − g0, H = yᵀs / yᵀy, ρ = 1/yᵀs;
  //     q = −g1, α = ρ·sᵀq, q ← q − α·y;  r = H·q, β = ρ·yᵀr, r ← r + (α − β)·s
  //     x2 = x1 + lr·r (t = lr after the first iteration); no evaluation after the last.
  Quadratic f;
  LBFGS<double> optimizer({f.x}, {.lr = 0.5, .max_iter = 2, .max_eval = 10});
  int calls = 0;
  const double loss = optimizer.step([&] {
    ++calls;
    optimizer.zero_grad();
    return f();
  });
  const Vec x0{0, 0, 0}, g0 = f.gradient(x0);
  Vec d(3), x1(3);
  const double t = std::min(1.0, 1 / (std::abs(g0[0]) + std::abs(g0[1]) + std::abs(g0[2]))) * 0.5;
  for (std::size_t i = 0; i < 3; ++i) d[i] = -g0[i], x1[i] = x0[i] + t * d[i];
  const Vec g1 = f.gradient(x1);
  Vec s(3), y(3), q(3), r(3), x2(3);
  for (std::size_t i = 0; i < 3; ++i) s[i] = t * d[i], y[i] = g1[i] - g0[i], q[i] = -g1[i];
  const double rho = 1 / dot(y, s), h = dot(y, s) / dot(y, y);
  const double alpha = rho * dot(s, q);
  for (std::size_t i = 0; i < 3; ++i) q[i] -= alpha * y[i], r[i] = h * q[i];
  const double beta = rho * dot(y, r);
  for (std::size_t i = 0; i < 3; ++i) r[i] += (alpha - beta) * s[i], x2[i] = x1[i] + 0.5 * r[i];
  for (std::size_t i = 0; i < 3; ++i) CHECK(f.x.value()(i) == doctest::Approx(x2[i]).epsilon(1e-12));
  CHECK(loss == 0.0);  // f(0)
  CHECK(calls == 2);
  CHECK(optimizer.func_evals() == 2);
  CHECK(optimizer.n_iter() == 2);
}

TEST_CASE("LBFGS: reaches the minimum of a quadratic, with and without line search") {
  for (LBFGSLineSearch search : {LBFGSLineSearch::none, LBFGSLineSearch::strong_wolfe}) {
    Quadratic f;
    // Tolerances tighter than the defaults, whose |Δf| < 1e-9 stops about 1e-5 from x*.
    LBFGS<double> optimizer({f.x}, {.tolerance_grad = 1e-12, .tolerance_change = 1e-15, .line_search_fn = search});
    auto closure = [&] {
      optimizer.zero_grad();
      return f();
    };
    for (int k = 0; k < 5; ++k) optimizer.step(closure);
    const Vec minimum{1, -2, 0.5};
    for (std::size_t i = 0; i < 3; ++i) CHECK(f.x.value()(i) == doctest::Approx(minimum[i]).epsilon(1e-6));
    MESSAGE(std::string(search == LBFGSLineSearch::none ? "no line search: " : "strong Wolfe: ")
            << optimizer.func_evals() << " evaluations, " << optimizer.n_iter() << " iterations");
  }
}

TEST_CASE("LBFGS: strong Wolfe reaches Rosenbrock's minimum (1, 1)") {
  Rosenbrock f;
  LBFGS<double> optimizer({f.p}, {.max_iter = 200,
                                  .tolerance_grad = 1e-12,
                                  .tolerance_change = 1e-15,
                                  .line_search_fn = LBFGSLineSearch::strong_wolfe});
  auto closure = [&] {
    optimizer.zero_grad();
    return f();
  };
  optimizer.step(closure);
  CHECK(f.p.value()(0) == doctest::Approx(1.0).epsilon(1e-6));
  CHECK(f.p.value()(1) == doctest::Approx(1.0).epsilon(1e-6));
  MESSAGE("Rosenbrock from (-1.5, 2): " << optimizer.func_evals() << " evaluations, " << optimizer.n_iter()
                                        << " iterations");
  CHECK(optimizer.func_evals() < 250);
}

TEST_CASE("LBFGS: the step the line search takes satisfies the strong Wolfe conditions") {
  // One iteration from (−1.5, 2): the move is t·d with d = −g0, so with
  // Δ = x1 − x0: f1 ≤ f0 + c1·g0ᵀΔ and |g1ᵀΔ| ≤ c2·|g0ᵀΔ| (c1 = 1e-4, c2 = 0.9).
  Rosenbrock f;
  LBFGS<double> optimizer({f.p}, {.max_iter = 1, .line_search_fn = LBFGSLineSearch::strong_wolfe});
  const Vec x0{f.p.value()(0), f.p.value()(1)};
  f.p.zero_grad();
  const double f0 = f();
  const Vec g0{f.p.grad()(0), f.p.grad()(1)};
  optimizer.step([&] {
    optimizer.zero_grad();
    return f();
  });
  const Vec delta{f.p.value()(0) - x0[0], f.p.value()(1) - x0[1]};
  f.p.zero_grad();
  const double f1 = f();
  const Vec g1{f.p.grad()(0), f.p.grad()(1)};
  CHECK(dot(g0, delta) < 0);
  CHECK(f1 <= f0 + 1e-4 * dot(g0, delta));
  CHECK(std::abs(dot(g1, delta)) <= 0.9 * std::abs(dot(g0, delta)));
}

TEST_CASE("LBFGS: step() without a closure, bad options and mismatched state are refused") {
  using xg::testing::contains;
  using xg::testing::message_of;
  auto w = xg::zeros<double>({2}, true);
  LBFGS<double> optimizer({w});
  CHECK(contains(message_of<std::invalid_argument>([&] { optimizer.step(); }), "call step(closure)"));
  CHECK(contains(message_of<std::invalid_argument>([&] { LBFGS<double>({w}, {.max_iter = 0}); }),
                 "LBFGS: invalid max_iter = 0 (must be > 0)"));
  CHECK(contains(message_of<std::invalid_argument>([&] { LBFGS<double>({w}, {.max_eval = -3}); }),
                 "LBFGS: invalid max_eval = -3 (must be > 0)"));
  CHECK(contains(message_of<std::invalid_argument>([&] { LBFGS<double>({w}, {.history_size = 0}); }),
                 "LBFGS: invalid history_size = 0 (must be > 0)"));
  CHECK(contains(message_of<std::invalid_argument>(
                     [&] { LBFGS<double>({w}, {.line_search_fn = static_cast<LBFGSLineSearch>(4)}); }),
                 "LBFGS: invalid line_search_fn = 4"));
  CHECK(contains(message_of<std::invalid_argument>([&] { LBFGS<double>({w}, {.tolerance_grad = -1}); }),
                 "LBFGS: invalid tolerance_grad = -1 (must be >= 0)"));
  CHECK(contains(message_of<std::invalid_argument>([&] { optimizer.set_lr(0.1, 1); }), "there is no group 1"));

  // State of a model of another size does not load, and nothing changes.
  Quadratic f;
  LBFGS<double> three({f.x}, {.max_iter = 3});
  three.step([&] {
    three.zero_grad();
    return f();
  });
  auto small = xg::zeros<double>({2}, true);
  LBFGS<double> two({small}, {.lr = 0.25});
  CHECK(contains(message_of<xg::ShapeError>([&] { two.load_state_dict(three.state_dict()); }),
                 "the saved 'state.d' has shape (3,) but the parameters have 2 values"));
  CHECK(two.options().lr == 0.25);
  CHECK(two.n_iter() == 0);
}

TEST_CASE("LBFGS: the history keeps the last history_size pairs and survives state_dict") {
  Rosenbrock f;
  LBFGS<double> optimizer({f.p}, {.max_iter = 10, .history_size = 3});
  optimizer.step([&] {
    optimizer.zero_grad();
    return f();
  });
  const auto state = optimizer.state_dict();
  CHECK(state.get_number("state.history") == 3);
  CHECK(state.get_number("state.n_iter") == 10);
  CHECK(state.get_array<double>("state.old_dirs.2").size() == 2);
  LBFGS<double> loaded({f.p});
  loaded.load_state_dict(state);
  CHECK(loaded.options().history_size == 3);
  CHECK(loaded.state_dict().get_array<double>("state.old_stps.1") == state.get_array<double>("state.old_stps.1"));
}

TEST_CASE("LBFGS: training resumed from a checkpoint continues bit-identically") {
  xg::testing::check_resume<LBFGS<float>>({.lr = 0.05, .max_iter = 2});
  xg::testing::check_resume<LBFGS<float>>(
      {.lr = 0.5, .max_iter = 2, .history_size = 3, .line_search_fn = LBFGSLineSearch::strong_wolfe});
}

TEST_CASE("LBFGS: a row-sparse gradient is made dense: the same steps as the dense run") {
  using xg::testing::train_rows;
  const xg::optim::LBFGSOptions o{.lr = 0.05, .max_iter = 2};
  CHECK(train_rows<LBFGS, double>(o, true) == train_rows<LBFGS, double>(o, false));
  CHECK(train_rows<LBFGS, float>(o, true) == train_rows<LBFGS, float>(o, false));
  CHECK_FALSE(train_rows<LBFGS, double>(o, true) == xg::full<double>({10, 3}, 0.2).value());
}
