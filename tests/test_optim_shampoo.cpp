// Shampoo: first steps from Algorithm 1 worked by hand (a vector: full-matrix
// Adagrad; a matrix with a rank-one gradient, where the roots have a closed
// form), update_freq and grafting, option checks, resume, the quadratic
// 0.5·tr(Wᵀ A W B) against Adagrad, sparse gradients.

#include <algorithm>
#include <cmath>
#include <cstddef>
#include <limits>
#include <stdexcept>
#include <vector>

#include <doctest/doctest.h>

#include <xgrad/optim/optim.hpp>
#include <xgrad/xgrad.hpp>

#include "exception_message.hpp"
#include "optim_policy_checks.hpp"

using xg::testing::Pair;

namespace {

// H^(−1/2)·g for a symmetric positive definite 2 × 2 H = [[a, b], [b, d]],
// from its eigenvalues λ = (a + d)/2 ± √(((a − d)/2)² + b²) and
// eigenvectors (λ − d, b).
Pair inverse_sqrt_times(double a, double b, double d, const Pair& g) {
  if (b == 0) return {g[0] / std::sqrt(a), g[1] / std::sqrt(d)};
  const double mid = (a + d) / 2, radius = std::sqrt((a - d) * (a - d) / 4 + b * b);
  Pair out{0, 0};
  for (double lambda : {mid + radius, mid - radius}) {
    const double v0 = lambda - d, v1 = b, norm2 = v0 * v0 + v1 * v1;
    const double along = (v0 * g[0] + v1 * g[1]) / norm2 / std::sqrt(lambda);
    out[0] += along * v0;
    out[1] += along * v1;
  }
  return out;
}

// Full-matrix Adagrad for a vector: H ← H + g·gᵀ from epsilon·I, θ ← θ − lr·H^(−1/2)·g.
auto shampoo_vector_reference(const xg::optim::ShampooOptions& o) {
  return [o, h = std::array<double, 3>{o.epsilon, 0, o.epsilon}, root_h = std::array<double, 3>{}](
             Pair& theta, const Pair& g, int t) mutable {
    h[0] += g[0] * g[0];
    h[1] += g[0] * g[1];
    h[2] += g[1] * g[1];
    if ((t - 1) % o.update_freq == 0) root_h = h;
    const Pair step = inverse_sqrt_times(root_h[0], root_h[1], root_h[2], g);
    theta[0] -= o.lr * step[0];
    theta[1] -= o.lr * step[1];
  };
}

}  // namespace

TEST_CASE("Shampoo: on a vector, the first steps are full-matrix Adagrad worked by hand") {
  SUBCASE("defaults (lr = 0.1, epsilon = 1e-4)") {
    // t=1: g = (1, -2) is an eigenvector of H = 1e-4·I + g·gᵀ with eigenvalue
    // 1e-4 + ‖g‖² = 5.0001, so θ = θ - 0.1·g/√5.0001.
    const xg::optim::ShampooOptions o{};
    xg::testing::check_first_steps<xg::optim::Shampoo>(
        o, shampoo_vector_reference(o), {1 - 0.1 / std::sqrt(5.0001), -0.5 + 0.2 / std::sqrt(5.0001)}, 4);
  }
  SUBCASE("lr, epsilon, update_freq") {
    const xg::optim::ShampooOptions o{.lr = 0.3, .epsilon = 0.5, .update_freq = 2};
    xg::testing::check_first_steps<xg::optim::Shampoo>(o, shampoo_vector_reference(o),
                                                       {1 - 0.3 / std::sqrt(5.5), -0.5 + 0.6 / std::sqrt(5.5)}, 5);
  }
}

namespace {

// A constant rank-one gradient C = u·vᵀ (loss sum(C ⊙ W)): after t steps
// L = ε·I + t·C·Cᵀ and R = ε·I + t·Cᵀ·C have C's column and row space as
// eigenvectors with eigenvalue ε + t·σ², σ² = ‖u‖²‖v‖² = ‖C‖², so
// L^(−1/4)·C·R^(−1/4) = C / √(ε + t·σ²).
const xg::Array<double> rank_one{{0.5, -1.0}, {1.0, -2.0}, {-0.5, 1.0}};  // (1, 2, -1)ᵀ·(0.5, -1)
constexpr double sigma2 = 7.5;                                            // 6 · 1.25

void check_rank_one(const xg::optim::ShampooOptions& o, const std::function<double(int)>& step_scale) {
  const xg::Array<double> start{{0.1, 0.2}, {-0.3, 0.4}, {0.5, -0.6}};
  auto w = xg::BasicTensor<double>(start, true);
  const auto c = xg::tensor<double>(rank_one);
  xg::optim::Shampoo<double> opt(std::vector{w}, o);
  xg::Array<double> expected = start;
  for (int t = 1; t <= 5; ++t) {
    opt.zero_grad();
    xg::sum(c * w).backward();
    opt.step();
    expected -= step_scale(t) * rank_one;
    for (std::size_t i = 0; i < expected.size(); ++i)
      CHECK_MESSAGE(std::abs(w.value().data()[i] - expected.data()[i]) <= 1e-9,
                    "element " << i << " after step " << t << " is " << w.value().data()[i] << ", expected "
                               << expected.data()[i]);
  }
  CHECK(opt.state(w, "preconditioner_left").shape() == std::vector<std::size_t>{3, 3});
  CHECK(opt.state(w, "inverse_root_right").shape() == std::vector<std::size_t>{2, 2});
}

}  // namespace

TEST_CASE("Shampoo: on a matrix with a rank-one gradient, the steps are lr·C/√(ε + t·‖C‖²)") {
  SUBCASE("update_freq = 1") {
    check_rank_one({.lr = 0.1, .epsilon = 1e-4}, [](int t) { return 0.1 / std::sqrt(1e-4 + t * sigma2); });
  }
  SUBCASE("update_freq = 2: the roots of steps 1, 3, 5 serve two steps each") {
    check_rank_one({.lr = 0.1, .epsilon = 1e-4, .update_freq = 2}, [](int t) {
      const int refreshed = t - (t - 1) % 2;
      return 0.1 / std::sqrt(1e-4 + refreshed * sigma2);
    });
  }
  SUBCASE("graft = adagrad: the step has the norm of Adagrad's, g/√(ε + t·g²) per element") {
    check_rank_one({.lr = 0.1, .epsilon = 1e-4, .graft = xg::optim::ShampooGraft::adagrad}, [](int t) {
      double adagrad2 = 0;
      for (double c : rank_one) adagrad2 += c * c / (1e-4 + t * c * c);
      return 0.1 * std::sqrt(adagrad2) / std::sqrt(sigma2);
    });
  }
}

TEST_CASE("Shampoo: invalid options are refused naming the option and its value") {
  auto w = xg::zeros<double>({2}, true);
  using xg::testing::contains;
  using xg::testing::message_of;
  CHECK(contains(message_of<std::invalid_argument>([&] { xg::optim::Shampoo<double>({w}, {.epsilon = 0}); }),
                 "Shampoo: invalid epsilon = 0"));
  CHECK(contains(message_of<std::invalid_argument>([&] { xg::optim::Shampoo<double>({w}, {.update_freq = 0}); }),
                 "Shampoo: invalid update_freq = 0"));
  CHECK(contains(message_of<std::invalid_argument>(
                     [&] { xg::optim::Shampoo<double>({w}, {.graft = static_cast<xg::optim::ShampooGraft>(7)}); }),
                 "Shampoo: invalid graft = 7"));
}

TEST_CASE("Shampoo: a non-finite gradient is refused and leaves the parameter and its state as they were") {
  auto w = xg::tensor<double>(xg::Array<double>{{1.0, 2.0}, {3.0, 4.0}}, true);
  xg::optim::Shampoo<double> opt(std::vector{w}, {});
  w.grad() = xg::Array<double>{{0.5, -0.5}, {1.0, 0.25}};
  opt.step();
  const xg::Array<double> value = w.value(), left = opt.state(w, "preconditioner_left"),
                          root = opt.state(w, "inverse_root_right");
  w.grad() = xg::Array<double>{{0.5, std::numeric_limits<double>::quiet_NaN()}, {1.0, 0.25}};
  CHECK(xg::testing::contains(xg::testing::message_of<std::invalid_argument>([&] { opt.step(); }),
                              "Shampoo: a 2 x 2 statistic holds a non-finite value"));
  CHECK(w.value() == value);
  CHECK(opt.state(w, "preconditioner_left") == left);
  CHECK(opt.state(w, "inverse_root_right") == root);
  CHECK(opt.step_count(w) == 1);
}

TEST_CASE("Shampoo: training resumed from a checkpoint continues bit-identically, cached roots included") {
  // update_freq = 3 refreshes at steps 1, 4, 7: steps 6 and 8 use roots from the saved state.
  xg::testing::check_resume<xg::optim::Shampoo<float>>({.lr = 0.05, .update_freq = 3});
  xg::testing::check_resume<xg::optim::Shampoo<double>>(
      {.lr = 0.05, .epsilon = 1e-3, .update_freq = 3, .graft = xg::optim::ShampooGraft::adagrad});
  xg::testing::check_resume<xg::optim::Shampoo<double>>({.lr = 0.05});
}

TEST_CASE("Shampoo: a row-sparse gradient is made dense") {
  xg::testing::check_sparse_matches_dense<xg::optim::Shampoo>(xg::optim::ShampooOptions{.lr = 0.1});
}

namespace {

// Q·diag(d)·Qᵀ for an orthogonal Q (n × n).
xg::Array<double> rotated(const xg::Array<double>& q, const std::vector<double>& d) {
  const std::size_t n = d.size();
  auto out = xg::Array<double>::from_shape({n, n});
  for (std::size_t i = 0; i < n; ++i)
    for (std::size_t j = 0; j < n; ++j) {
      double sum = 0;
      for (std::size_t k = 0; k < n; ++k) sum += q(i, k) * d[k] * q(j, k);
      out(i, j) = sum;
    }
  return out;
}

// f(W) = 0.5·tr(Wᵀ A W B), minimum 0 at W = 0, with A and B symmetric
// positive definite and rotated so that no coordinate axis is an
// eigenvector (condition numbers 100 and 30): the steps an optimizer needs
// until f falls below 1e-6 of its start, with the best lr of a grid.
struct Quadratic {
  xg::Tensor64 a, b;
  Quadratic() {
    const double s = std::sqrt(0.5);
    a = xg::tensor<double>(rotated(xg::Array<double>{{s, s, 0}, {-s, s, 0}, {0, 0, 1}}, {1, 10, 100}));
    b = xg::tensor<double>(rotated(xg::Array<double>{{0.8, 0.6}, {-0.6, 0.8}}, {1, 30}));
  }
  xg::Tensor64 loss(const xg::Tensor64& w) const { return 0.5 * xg::sum(w * xg::matmul(xg::matmul(a, w), b)); }
};

template <template <class> class Optimizer, class Options>
int steps_to_minimum(const Quadratic& f, Options options, int limit, double& best_lr) {
  const xg::Array<double> start{{1.0, -0.5}, {0.3, 0.8}, {-0.7, 0.2}};
  const double threshold = 1e-6 * f.loss(xg::tensor<double>(start)).item();
  int best = limit;
  for (double lr : {1e-3, 3e-3, 1e-2, 3e-2, 0.1, 0.3, 1.0, 3.0, 10.0, 30.0}) {
    auto w = xg::BasicTensor<double>(start, true);
    options.lr = lr;
    Optimizer<double> opt(std::vector{w}, options);
    for (int t = 1; t <= limit; ++t) {
      opt.zero_grad();
      auto loss = f.loss(w);
      loss.backward();
      opt.step();
      const double after = f.loss(w).item();
      if (!std::isfinite(after)) break;
      if (after <= threshold) {
        if (t < best) {
          best = t;
          best_lr = lr;
        }
        break;
      }
    }
  }
  return best;
}

}  // namespace

TEST_CASE("Shampoo: on 0.5·tr(Wᵀ A W B) it reaches the minimum in fewer steps than Adagrad from the same start") {
  const Quadratic f;
  double shampoo_lr = 0, adagrad_lr = 0;
  const int limit = 2000;
  const int shampoo = steps_to_minimum<xg::optim::Shampoo>(f, xg::optim::ShampooOptions{}, limit, shampoo_lr);
  const int adagrad = steps_to_minimum<xg::optim::Adagrad>(f, xg::optim::AdagradOptions{}, limit, adagrad_lr);
  MESSAGE("steps to f <= 1e-6·f(W0), best lr of the grid: Shampoo " << shampoo << " (lr " << shampoo_lr << "), Adagrad "
                                                                    << adagrad << " (lr " << adagrad_lr << ")");
  CHECK(shampoo < limit);
  CHECK(shampoo < adagrad);
}
