// Lookahead (Zhang et al. 2019; optax.lookahead) around SGD worked by hand,
// around Adam with its state carried through the synchronisation, its saved
// state (inner state and slow weights) resuming bit-identically, and options.

#include <cmath>
#include <stdexcept>
#include <string>
#include <vector>

#include <doctest/doctest.h>

#include <xgrad/optim/optim.hpp>
#include <xgrad/xgrad.hpp>

#include "exception_message.hpp"
#include "least_squares_model.hpp"

using namespace xg::optim;
using xg::testing::contains;
using xg::testing::message_of;

namespace {

// f(θ) = ½θ1² + 2θ2²: one SGD step at lr 0.1 multiplies θ1 by 0.9, θ2 by 0.6.
void sgd_quadratic_step(OptimizerBase& opt, const xg::Tensor64& theta) {
  static const auto half_curvature = xg::tensor<double>(xg::Array<double>{0.5, 2.0});
  opt.zero_grad();
  xg::sum(half_curvature * theta * theta).backward();
  opt.step();
}

}  // namespace

TEST_CASE("Lookahead: k = 3 steps of SGD, then the slow weights move alpha = 0.5 of the way, worked by hand") {
  auto theta = xg::tensor<double>(xg::Array<double>{1.0, -0.5}, true);
  SGD inner({theta}, {.lr = 0.1});
  Lookahead opt(inner, {.k = 3, .alpha = 0.5});
  // fast: (0.9, -0.3), (0.81, -0.18), (0.729, -0.108); sync: φ = (1, -0.5) + 0.5·((0.729, -0.108) − (1, -0.5))
  //       = (0.8645, -0.304), θ = φ
  // fast: (0.77805, -0.1824), (0.700245, -0.10944), (0.6302205, -0.065664);
  // sync: φ = ((0.8645 + 0.6302205) / 2, (-0.304 - 0.065664) / 2) = (0.74736025, -0.184832)
  const std::vector<std::array<double, 2>> expected{{0.9, -0.3},        {0.81, -0.18},        {0.8645, -0.304},
                                                    {0.77805, -0.1824}, {0.700245, -0.10944}, {0.74736025, -0.184832}};
  for (std::size_t t = 0; t < expected.size(); ++t) {
    sgd_quadratic_step(opt, theta);
    INFO("step " << t + 1);
    CHECK(std::abs(theta.value()(0) - expected[t][0]) <= 1e-12);
    CHECK(std::abs(theta.value()(1) - expected[t][1]) <= 1e-12);
    CHECK(opt.steps_since_sync() == static_cast<std::int64_t>((t + 1) % 3));
  }
  CHECK(opt.slow_weights()[0] == theta.value());
}

TEST_CASE(
    "Lookahead: the inner optimizer's state carries on through the synchronisation (alpha = 1 is the inner run)") {
  auto plain_theta = xg::tensor<double>(xg::Array<double>{1.0, -0.5}, true);
  auto wrapped_theta = xg::tensor<double>(xg::Array<double>{1.0, -0.5}, true);
  Adam plain({plain_theta}, {.lr = 0.05});
  Adam inner({wrapped_theta}, {.lr = 0.05});
  Lookahead opt(inner, {.k = 2, .alpha = 1.0});
  for (int t = 0; t < 7; ++t) {
    sgd_quadratic_step(plain, plain_theta);
    sgd_quadratic_step(opt, wrapped_theta);
  }
  // φ + 1·(θ − φ) = θ bit for bit: the synchronisations change nothing.
  CHECK(wrapped_theta.value() == plain_theta.value());
  CHECK(inner.step_count(wrapped_theta) == 7);
  CHECK(inner.state(wrapped_theta, "exp_avg") == plain.state(plain_theta, "exp_avg"));
  // lr and zero_grad reach the inner optimizer, so schedules work through the wrapper.
  opt.set_lr(0.01);
  CHECK(inner.lr() == 0.01);
  CHECK(opt.num_param_groups() == 1);
  CHECK(opt.momentum() == inner.momentum());
}

TEST_CASE("Lookahead: the saved state holds the inner state and the slow weights, and resumes bit-identically") {
  constexpr int total = 11, stop = 4;  // stop between two synchronisations (k = 3)
  const LookaheadOptions options{.k = 3, .alpha = 0.6};
  LeastSquaresModel straight;
  Adam straight_inner(straight.named_parameters(), {.lr = 0.05});
  Lookahead uninterrupted(straight_inner, options);
  for (int i = 0; i < total; ++i) straight.train_step(uninterrupted);

  LeastSquaresModel first;
  Adam first_inner(first.named_parameters(), {.lr = 0.05});
  Lookahead stopped(first_inner, options);
  for (int i = 0; i < stop; ++i) first.train_step(stopped);
  const auto saved = xg::io::Archive::from_bytes(stopped.state_dict().to_bytes("optimizer"), "optimizer");
  CHECK(saved.get_string("optimizer") == "Adam");
  CHECK(saved.contains("state.w.exp_avg"));
  CHECK(saved.get_array<float>("lookahead.slow.w") == stopped.slow_weights()[0]);
  CHECK(saved.get_number("lookahead.steps_since_sync") == 1);

  LeastSquaresModel resumed;
  resumed.w.value() = first.w.value();
  resumed.b.value() = first.b.value();
  Adam resumed_inner(resumed.named_parameters());
  Lookahead continued(resumed_inner);
  continued.load_state_dict(saved);
  CHECK(continued.options().k == 3);
  CHECK(continued.options().alpha == 0.6);
  for (int i = stop; i < total; ++i) resumed.train_step(continued);
  CHECK(resumed.w.value() == straight.w.value());
  CHECK(resumed.b.value() == straight.b.value());
  CHECK_FALSE(first.w.value() == straight.w.value());

  // A state without slow weights, or with the wrong shape, is refused and nothing changes.
  LeastSquaresModel other;
  Adam other_inner(other.named_parameters());
  Lookahead fresh(other_inner);
  CHECK(contains(message_of<std::invalid_argument>([&] { fresh.load_state_dict(first_inner.state_dict()); }),
                 "Lookahead.load_state_dict: the state was not saved by a Lookahead"));
  auto damaged = saved;
  damaged.put("lookahead.slow.b", xg::Array<float>{1.0f, 2.0f, 3.0f});
  CHECK_THROWS_WITH_AS(fresh.load_state_dict(damaged), doctest::Contains("'lookahead.slow.b' has shape (3,)"),
                       xg::ShapeError);
  damaged = saved;
  damaged.put_number("lookahead.steps_since_sync", 3);
  CHECK(contains(message_of<std::invalid_argument>([&] { fresh.load_state_dict(damaged); }),
                 "'lookahead.steps_since_sync' holds 3, expected a whole number from 0 to k - 1"));
  CHECK(fresh.options().k == 5);
  CHECK_THROWS_AS(other_inner.state(other.w, "exp_avg"), std::invalid_argument);
}

TEST_CASE("Lookahead: options out of range are refused naming the option and its value") {
  auto theta = xg::tensor<double>(xg::Array<double>{1.0}, true);
  SGD inner({theta});
  CHECK_THROWS_WITH_AS(Lookahead(inner, {.k = 0}), doctest::Contains("Lookahead: invalid k = 0 (must be > 0)"),
                       std::invalid_argument);
  CHECK_THROWS_WITH_AS(Lookahead(inner, {.alpha = 1.5}),
                       doctest::Contains("Lookahead: invalid alpha = 1.5 (must be in [0, 1])"), std::invalid_argument);
}

TEST_CASE("Lookahead: step(closure) runs the inner optimizer's step(closure), returns its loss and synchronises") {
  auto theta = xg::tensor<double>(xg::Array<double>{1.0, -0.5}, true);
  SGD inner({theta}, {.lr = 0.1});
  Lookahead opt(inner, {.k = 2, .alpha = 0.5});
  int evaluations = 0;
  const auto closure = [&] {
    ++evaluations;
    opt.zero_grad();
    auto loss = xg::sum(xg::tensor<double>(xg::Array<double>{0.5, 2.0}) * theta * theta);
    loss.backward();
    return loss.item();
  };
  // The loss before each step: ½·1² + 2·0.5² = 1, then ½·0.9² + 2·0.3² = 0.405 + 0.18 = 0.585.
  CHECK(std::abs(opt.step(closure) - 1.0) <= 1e-12);
  CHECK(std::abs(theta.value()(0) - 0.9) <= 1e-12);
  CHECK(std::abs(theta.value()(1) + 0.3) <= 1e-12);
  CHECK(std::abs(opt.step(closure) - 0.585) <= 1e-12);
  // fast (0.81, -0.18); sync: φ = ((1 + 0.81) / 2, (-0.5 - 0.18) / 2) = (0.905, -0.34), θ = φ.
  CHECK(std::abs(theta.value()(0) - 0.905) <= 1e-12);
  CHECK(std::abs(theta.value()(1) + 0.34) <= 1e-12);
  CHECK(opt.steps_since_sync() == 0);
  CHECK(evaluations == 2);
}
