// Lion: first steps from the authors' formula, option checks, resume, the
// property that every coordinate moves by exactly lr, and sparse gradients.

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

// google/automl lion/lion_pytorch.py, per coordinate.
auto lion_reference(const xg::optim::LionOptions& o) {
  return [o, m = Pair{0, 0}](Pair& theta, const Pair& g, int) mutable {
    for (std::size_t i = 0; i < 2; ++i) {
      const double c = o.betas[0] * m[i] + (1 - o.betas[0]) * g[i];
      const double sign = c > 0 ? 1 : (c < 0 ? -1 : 0);
      theta[i] = theta[i] * (1 - o.lr * o.weight_decay) - o.lr * sign;
      m[i] = o.betas[1] * m[i] + (1 - o.betas[1]) * g[i];
    }
  };
}

}  // namespace

TEST_CASE("Lion: the first steps equal the authors' formula worked by hand") {
  SUBCASE("defaults (lr = 1e-4)") {
    // t=1: g=(1, -2), m=0: sign(0.1·g) = (1, -1), θ = (1 - 1e-4, -0.5 + 1e-4)
    const xg::optim::LionOptions o{};
    xg::testing::check_first_steps<xg::optim::Lion>(o, lion_reference(o), {0.9999, -0.4999});
  }
  SUBCASE("lr, betas, weight_decay") {
    // t=1: θ·(1 - 0.1·0.2) = (0.98, -0.49), then - 0.1·(1, -1) = (0.88, -0.39)
    const xg::optim::LionOptions o{.lr = 0.1, .betas = {0.5, 0.9}, .weight_decay = 0.2};
    xg::testing::check_first_steps<xg::optim::Lion>(o, lion_reference(o), {0.88, -0.39}, 5);
  }
}

TEST_CASE("Lion: without weight decay every coordinate moves by exactly lr, or not at all") {
  // θ on a grid of 2^-10 and lr = 2^-10, so θ ± lr is exact in float32.
  constexpr std::size_t n = 1000;
  const float lr = 1.0f / 1024;
  xg::Generator gen(3);
  auto start = xg::Array<float>::from_shape({n});
  for (auto& v : start) v = static_cast<float>(static_cast<int>(gen.randint(4096)) - 2048) / 1024;
  auto theta = xg::BasicTensor<float>(start, true);
  xg::optim::Lion opt(std::vector{theta}, {.lr = lr, .betas = {0.9, 0.99}});
  std::size_t moved = 0, still = 0;
  for (int t = 0; t < 5; ++t) {
    auto g = xg::Array<float>::from_shape({n});
    // At the first step every 10th gradient is 0: with m = 0 its update is 0.
    for (std::size_t i = 0; i < n; ++i) g(i) = t == 0 && i % 10 == 0 ? 0.0f : static_cast<float>(gen.normal());
    const xg::Array<float> before = theta.value();
    theta.grad() = g;
    opt.step();
    for (std::size_t i = 0; i < n; ++i) {
      const float delta = std::abs(theta.value()(i) - before(i));
      if (t == 0 && i % 10 == 0) {
        CHECK(delta == 0.0f);
        ++still;
      } else {
        CHECK(delta == lr);
        ++moved;
      }
    }
  }
  CHECK(still == 100);
  CHECK(moved == 4900);
}

TEST_CASE("Lion: invalid options are refused naming the option and its value") {
  auto w = xg::zeros<double>({2}, true);
  using xg::testing::contains;
  using xg::testing::message_of;
  CHECK(contains(message_of<std::invalid_argument>([&] { xg::optim::Lion<double>({w}, {.lr = -1}); }),
                 "Lion: invalid lr = -1"));
  CHECK(contains(message_of<std::invalid_argument>([&] {
                   xg::optim::Lion<double>({w}, {.betas = {0.9, 1.0}});
                 }),
                 "Lion: invalid betas[1] = 1"));
  CHECK(contains(message_of<std::invalid_argument>([&] { xg::optim::Lion<double>({w}, {.weight_decay = -0.1}); }),
                 "Lion: invalid weight_decay = -0.1"));
}

TEST_CASE("Lion: training resumed from a checkpoint continues bit-identically") {
  xg::testing::check_resume<xg::optim::Lion<float>>({.lr = 1e-2, .weight_decay = 0.1});
  xg::testing::check_resume<xg::optim::Lion<double>>({.lr = 1e-2, .betas = {0.8, 0.95}});
}

TEST_CASE("Lion: a row-sparse gradient is made dense (rows without gradient still move)") {
  xg::testing::check_sparse_matches_dense<xg::optim::Lion>(xg::optim::LionOptions{.lr = 0.1});
}
