// LAMB: first steps from optax's lamb worked by hand, the trust ratio's
// special cases, option checks, resume, sparse gradients.

#include <cmath>
#include <cstddef>
#include <stdexcept>
#include <vector>

#include <doctest/doctest.h>

#include <xgrad/optim/optim.hpp>
#include <xgrad/xgrad.hpp>

#include "exception_message.hpp"
#include "optim_policy_checks.hpp"

using xg::testing::Pair;

namespace {

// optax alias.lamb: scale_by_adam, add_decayed_weights, scale_by_trust_ratio,
// then the learning rate; the norms over the whole (two-element) parameter.
auto lamb_reference(const xg::optim::LAMBOptions& o) {
  return [o, m = Pair{0, 0}, v = Pair{0, 0}](Pair& theta, const Pair& g, int t) mutable {
    Pair r{};
    for (std::size_t i = 0; i < 2; ++i) {
      m[i] = o.betas[0] * m[i] + (1 - o.betas[0]) * g[i];
      v[i] = o.betas[1] * v[i] + (1 - o.betas[1]) * g[i] * g[i];
      const double m_hat = m[i] / (1 - std::pow(o.betas[0], t)), v_hat = v[i] / (1 - std::pow(o.betas[1], t));
      r[i] = m_hat / (std::sqrt(v_hat) + o.eps) + o.weight_decay * theta[i];
    }
    const double theta_norm = std::hypot(theta[0], theta[1]), r_norm = std::hypot(r[0], r[1]);
    const double trust = theta_norm == 0 || r_norm == 0 ? 1 : theta_norm / r_norm;
    for (std::size_t i = 0; i < 2; ++i) theta[i] -= o.lr * trust * r[i];
  };
}

}  // namespace

TEST_CASE("LAMB: the first steps equal optax's formula worked by hand") {
  SUBCASE("defaults (lr = 1e-3, eps = 1e-6)") {
    // t=1: m̂ = g = (1, -2), v̂ = g², r = g/(|g| + 1e-6)
    //   trust = ‖θ‖/‖r‖ = √1.25/‖r‖, θ = θ - 1e-3·trust·r
    const double r1 = 1 / (1 + 1e-6), r2 = -2 / (2 + 1e-6);
    const double trust = std::sqrt(1.25) / std::sqrt(r1 * r1 + r2 * r2);
    const xg::optim::LAMBOptions o{};
    xg::testing::check_first_steps<xg::optim::LAMB>(o, lamb_reference(o),
                                                    {1 - 1e-3 * trust * r1, -0.5 - 1e-3 * trust * r2});
  }
  SUBCASE("lr, betas, eps, weight_decay") {
    // t=1: m̂ = g, v̂ = g², r = g/(|g| + 0.1) + 0.5·θ = (1/1.1 + 0.5, -2/2.1 - 0.25)
    const double r1 = 1 / 1.1 + 0.5, r2 = -2 / 2.1 - 0.25;
    const double trust = std::sqrt(1.25) / std::sqrt(r1 * r1 + r2 * r2);
    const xg::optim::LAMBOptions o{.lr = 0.1, .betas = {0.5, 0.9}, .eps = 0.1, .weight_decay = 0.5};
    xg::testing::check_first_steps<xg::optim::LAMB>(o, lamb_reference(o),
                                                    {1 - 0.1 * trust * r1, -0.5 - 0.1 * trust * r2}, 6);
  }
}

TEST_CASE("LAMB: the trust ratio is 1 when the parameter or its step is 0, and is per tensor") {
  // θ = 0: the step is lr·g/(|g| + eps) = lr·(1/(1 + 1e-6), -2/(2 + 1e-6)).
  auto zero = xg::zeros<double>({2}, true);
  // The other tensor's norm must not enter: a per-tensor ratio of 1 for
  // `zero`, ‖θ‖/‖r‖ for `big`.
  auto big = xg::tensor<double>(xg::Array<double>{30.0, 40.0}, true);
  xg::optim::LAMB<double> opt(std::vector{zero, big}, {.lr = 0.1});
  zero.grad() = xg::Array<double>{1.0, -2.0};
  big.grad() = xg::Array<double>{3.0, 0.0};
  opt.step();
  CHECK(zero.value()(0) == doctest::Approx(-0.1 / (1 + 1e-6)).epsilon(1e-14));
  CHECK(zero.value()(1) == doctest::Approx(0.2 / (2 + 1e-6)).epsilon(1e-14));
  // big: r = (3/(3 + 1e-6), 0/(0 + 1e-6)) = (3/(3 + 1e-6), 0), ‖θ‖ = 50
  CHECK(big.value()(0) == doctest::Approx(30 - 0.1 * 50).epsilon(1e-12));
  CHECK(big.value()(1) == 40.0);
}

TEST_CASE("LAMB: invalid options are refused naming the option and its value") {
  auto w = xg::zeros<double>({2}, true);
  using xg::testing::contains;
  using xg::testing::message_of;
  CHECK(contains(message_of<std::invalid_argument>([&] { xg::optim::LAMB<double>({w}, {.eps = 0}); }),
                 "LAMB: invalid eps = 0"));
  CHECK(contains(message_of<std::invalid_argument>([&] { xg::optim::LAMB<double>({w}, {.weight_decay = -1}); }),
                 "LAMB: invalid weight_decay = -1"));
  CHECK(contains(message_of<std::invalid_argument>([&] {
                   xg::optim::LAMB<double>({w}, {.betas = {0.9, -0.1}});
                 }),
                 "LAMB: invalid betas[1] = -0.1"));
}

TEST_CASE("LAMB: training resumed from a checkpoint continues bit-identically") {
  xg::testing::check_resume<xg::optim::LAMB<float>>({.lr = 0.01, .weight_decay = 0.01});
  xg::testing::check_resume<xg::optim::LAMB<double>>({.lr = 0.01, .betas = {0.8, 0.99}});
}

TEST_CASE("LAMB: a row-sparse gradient is made dense") {
  xg::testing::check_sparse_matches_dense<xg::optim::LAMB>(xg::optim::LAMBOptions{.lr = 0.1, .weight_decay = 0.1});
}
