// Yogi: first steps from optax's scale_by_yogi worked by hand, option checks,
// resume, sparse gradients.

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

// optax transform.scale_by_yogi then the learning rate, per coordinate.
auto yogi_reference(const xg::optim::YogiOptions& o) {
  const double init = o.initial_accumulator_value;
  return [o, m = Pair{init, init}, v = Pair{init, init}](Pair& theta, const Pair& g, int t) mutable {
    for (std::size_t i = 0; i < 2; ++i) {
      m[i] = o.betas[0] * m[i] + (1 - o.betas[0]) * g[i];
      const double d = v[i] - g[i] * g[i];
      v[i] -= (1 - o.betas[1]) * (d > 0 ? 1 : (d < 0 ? -1 : 0)) * g[i] * g[i];
      const double m_hat = m[i] / (1 - std::pow(o.betas[0], t)), v_hat = v[i] / (1 - std::pow(o.betas[1], t));
      theta[i] -= o.lr * m_hat / (std::sqrt(v_hat) + o.eps);
    }
  };
}

}  // namespace

TEST_CASE("Yogi: the first steps equal optax's formula worked by hand") {
  SUBCASE("defaults (lr = 1e-2, eps = 1e-3, initial_accumulator_value = 1e-6)") {
    // t=1: g=(1, -2)
    //   m = 0.9·1e-6 + 0.1·g = (0.1000009, -0.1999991)
    //   v = 1e-6 - 0.001·sign(1e-6 - g²)·g² = (0.001001, 0.004001)
    //   θ = θ - 0.01·(m/0.1) / (√(v/0.001) + 1e-3)
    const xg::optim::YogiOptions o{};
    xg::testing::check_first_steps<xg::optim::Yogi>(
        o, yogi_reference(o),
        {1 - 0.01 * (0.1000009 / 0.1) / (std::sqrt(0.001001 / 0.001) + 1e-3),
         -0.5 - 0.01 * (-0.1999991 / 0.1) / (std::sqrt(0.004001 / 0.001) + 1e-3)});
  }
  SUBCASE("lr, betas, eps, initial_accumulator_value (v above g² shrinks)") {
    // t=1: m = 0.5·2 + 0.5·g = (1.5, 0), v = 2 - 0.1·sign(2 - g²)·g² = (1.9, 2.4)
    //   θ = θ - 0.1·(m/0.5) / (√(v/0.1) + 0.5)
    const xg::optim::YogiOptions o{.lr = 0.1, .betas = {0.5, 0.9}, .eps = 0.5, .initial_accumulator_value = 2};
    xg::testing::check_first_steps<xg::optim::Yogi>(o, yogi_reference(o), {1 - 0.1 * 3 / (std::sqrt(19.0) + 0.5), -0.5},
                                                    6);
  }
}

TEST_CASE("Yogi: invalid options are refused naming the option and its value") {
  auto w = xg::zeros<double>({2}, true);
  using xg::testing::contains;
  using xg::testing::message_of;
  CHECK(contains(message_of<std::invalid_argument>([&] { xg::optim::Yogi<double>({w}, {.eps = 0}); }),
                 "Yogi: invalid eps = 0"));
  CHECK(contains(message_of<std::invalid_argument>([&] {
                   xg::optim::Yogi<double>({w}, {.betas = {1.5, 0.9}});
                 }),
                 "Yogi: invalid betas[0] = 1.5"));
  CHECK(contains(
      message_of<std::invalid_argument>([&] { xg::optim::Yogi<double>({w}, {.initial_accumulator_value = -1}); }),
      "Yogi: invalid initial_accumulator_value = -1"));
}

TEST_CASE("Yogi: training resumed from a checkpoint continues bit-identically") {
  xg::testing::check_resume<xg::optim::Yogi<float>>({.lr = 0.05});
  xg::testing::check_resume<xg::optim::Yogi<double>>({.lr = 0.05, .betas = {0.8, 0.99}, .eps = 1e-2});
}

TEST_CASE("Yogi: a row-sparse gradient is made dense") {
  xg::testing::check_sparse_matches_dense<xg::optim::Yogi>(xg::optim::YogiOptions{.lr = 0.1});
}
