// AdaBelief: first steps from optax's scale_by_belief worked by hand, option
// checks, resume, sparse gradients.

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

// optax transform.scale_by_belief then the learning rate, per coordinate.
auto adabelief_reference(const xg::optim::AdaBeliefOptions& o) {
  return [o, m = Pair{0, 0}, s = Pair{0, 0}](Pair& theta, const Pair& g, int t) mutable {
    for (std::size_t i = 0; i < 2; ++i) {
      m[i] = o.betas[0] * m[i] + (1 - o.betas[0]) * g[i];
      s[i] = o.betas[1] * s[i] + (1 - o.betas[1]) * (g[i] - m[i]) * (g[i] - m[i]) + o.eps_root;
      const double m_hat = m[i] / (1 - std::pow(o.betas[0], t)), s_hat = s[i] / (1 - std::pow(o.betas[1], t));
      theta[i] -= o.lr * m_hat / (std::sqrt(s_hat) + o.eps);
    }
  };
}

}  // namespace

TEST_CASE("AdaBelief: the first steps equal optax's formula worked by hand") {
  SUBCASE("defaults (lr = 1e-3, eps = eps_root = 1e-16)") {
    // t=1: g=(1, -2), m = 0.1·g, g - m = 0.9·g, s = 0.001·(0.81, 3.24) + 1e-16
    //   m̂ = g, ŝ = s/0.001 = (0.81 + 1e-13, 3.24 + 1e-13), θ = θ - 1e-3·g/(√ŝ + 1e-16)
    const xg::optim::AdaBeliefOptions o{};
    xg::testing::check_first_steps<xg::optim::AdaBelief>(
        o, adabelief_reference(o),
        {1 - 1e-3 * 1 / (std::sqrt(0.81 + 1e-13) + 1e-16), -0.5 + 1e-3 * 2 / (std::sqrt(3.24 + 1e-13) + 1e-16)});
  }
  SUBCASE("lr, betas, eps, eps_root") {
    // t=1: m = 0.5·g, g - m = 0.5·g, s = 0.2·0.25·g² + 0.01 = (0.06, 0.21)
    //   m̂ = g, ŝ = s/0.2 = (0.3, 1.05), θ = θ - 0.1·g/(√ŝ + 0.1)
    const xg::optim::AdaBeliefOptions o{.lr = 0.1, .betas = {0.5, 0.8}, .eps = 0.1, .eps_root = 0.01};
    xg::testing::check_first_steps<xg::optim::AdaBelief>(
        o, adabelief_reference(o), {1 - 0.1 / (std::sqrt(0.3) + 0.1), -0.5 + 0.2 / (std::sqrt(1.05) + 0.1)}, 6);
  }
}

TEST_CASE("AdaBelief: invalid options are refused naming the option and its value") {
  auto w = xg::zeros<double>({2}, true);
  using xg::testing::contains;
  using xg::testing::message_of;
  CHECK(contains(message_of<std::invalid_argument>([&] { xg::optim::AdaBelief<double>({w}, {.eps = -1e-16}); }),
                 "AdaBelief: invalid eps = -1e-16"));
  CHECK(contains(message_of<std::invalid_argument>([&] { xg::optim::AdaBelief<double>({w}, {.eps_root = -1}); }),
                 "AdaBelief: invalid eps_root = -1"));
  CHECK(contains(message_of<std::invalid_argument>([&] { xg::optim::AdaBelief<double>({w}, {.lr = -0.5}); }),
                 "AdaBelief: invalid lr = -0.5"));
}

TEST_CASE("AdaBelief: training resumed from a checkpoint continues bit-identically") {
  xg::testing::check_resume<xg::optim::AdaBelief<float>>({.lr = 0.01});
  xg::testing::check_resume<xg::optim::AdaBelief<double>>({.lr = 0.01, .betas = {0.8, 0.99}, .eps_root = 1e-8});
}

TEST_CASE("AdaBelief: a row-sparse gradient is made dense") {
  xg::testing::check_sparse_matches_dense<xg::optim::AdaBelief>(xg::optim::AdaBeliefOptions{.lr = 0.1});
}
