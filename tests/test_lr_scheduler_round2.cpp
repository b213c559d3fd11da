// ConstantLR, MultiplicativeLR, PolynomialLR, ChainedScheduler and WSD over
// 60 steps against PyTorch's closed forms and chainable recursions (WSD
// against the formulas of Hägele et al. 2024), written out here, to 1e-9.
#include <doctest/doctest.h>

#include <cmath>
#include <memory>
#include <numbers>
#include <stdexcept>
#include <vector>

#include <xgrad/optim/schedule_functions.hpp>
#include <xgrad/optim/schedulers/schedulers.hpp>

#include "test_lr_scheduler_fake_optimizer.hpp"

using namespace xg::optim;

TEST_CASE("ConstantLR: PyTorch's documented example, its closed form and its recursion") {
  // lr = 0.025 for epochs < 40, then 0.05, for factor 0.5 and total_iters 40.
  FakeOptimizer doc({0.05});
  ConstantLR doc_sched(doc, {.factor = 0.5, .total_iters = 40});
  for (long e = 0; e < 60; ++e, doc_sched.step()) CHECK(doc.lr() == near(e < 40 ? 0.025 : 0.05));

  // Closed form: base * (factor + (e >= T) * (1 - factor)).
  FakeOptimizer opt({0.3, 0.03});
  ConstantLR sched(opt, {.total_iters = 7});
  check_sequence(sched, opt, [](long e, std::size_t g) {
    const double base = g == 0 ? 0.3 : 0.03, factor = 1.0 / 3;
    return base * (factor + (e >= 7 ? 1.0 : 0.0) * (1 - factor));
  });

  // PyTorch's recursion: lr_0 = base * factor; lr_e = lr_{e-1} / factor at e = T, else unchanged.
  FakeOptimizer rec({0.2});
  ConstantLR rec_sched(rec, {.factor = 0.25, .total_iters = 3});
  double lr = 0.2 * 0.25;
  check_sequence(rec_sched, rec, [&](long e, std::size_t) {
    if (e == 3) lr *= 1.0 / 0.25;
    return lr;
  });
}

TEST_CASE("MultiplicativeLR: lr_e = lr_{e-1} * lr_lambda(e), bit for bit, per group") {
  FakeOptimizer opt({0.1, 0.2});
  const auto first = [](long) { return 0.95; };
  const auto second = [](long e) { return 1.0 - 0.01 * static_cast<double>(e % 4); };
  MultiplicativeLR sched(opt, {.lr_lambda = {first, second}});
  std::vector<double> lr = {0.1, 0.2};
  for (long e = 0; e <= kSteps; ++e) {
    if (e > 0) {
      sched.step();
      lr[0] *= first(e);
      lr[1] *= second(e);
    }
    INFO("epoch " << e);
    CHECK(opt.lr(0) == lr[0]);
    CHECK(opt.lr(1) == lr[1]);
  }
  CHECK(opt.lr(0) == near(0.1 * std::pow(0.95, 60.0)));
  // An earlier epoch is recomputed from epoch 1, to the same bits.
  double at_10 = 0.2;
  for (long e = 1; e <= 10; ++e) at_10 *= second(e);
  CHECK(sched.lr_at(10, 1) == at_10);
  CHECK(sched.lr_at(60, 1) == lr[1]);

  FakeOptimizer none({0.1});
  CHECK_THROWS_WITH_AS(MultiplicativeLR(none, {}), doctest::Contains("MultiplicativeLR: lr_lambda is required"),
                       std::invalid_argument);
}

TEST_CASE("PolynomialLR: closed form and PyTorch's recursion") {
  // base * (1 - min(e, T) / T)^power.
  FakeOptimizer opt({0.05, 0.5});
  PolynomialLR sched(opt, {.total_iters = 50, .power = 0.9});
  check_sequence(sched, opt, [](long e, std::size_t g) {
    const double base = g == 0 ? 0.05 : 0.5;
    return base * std::pow(1.0 - static_cast<double>(std::min(e, 50L)) / 50.0, 0.9);
  });
  CHECK(opt.lr(0) == 0.0);

  // lr_e = lr_{e-1} * ((1 - e / T) / (1 - (e - 1) / T))^power for 1 <= e <= T, then unchanged.
  FakeOptimizer rec({0.4});
  PolynomialLR rec_sched(rec, {.total_iters = 12, .power = 2.0});
  double lr = 0.4;
  check_sequence(rec_sched, rec, [&](long e, std::size_t) {
    if (e >= 1 && e <= 12) lr *= std::pow((1.0 - e / 12.0) / (1.0 - (e - 1) / 12.0), 2.0);
    return lr;
  });
  // Default: total_iters 5, power 1.
  FakeOptimizer dflt({1.0});
  PolynomialLR dflt_sched(dflt);
  for (double expected : {1.0, 0.8, 0.6, 0.4, 0.2, 0.0, 0.0}) {
    CHECK(dflt.lr() == near(expected));
    dflt_sched.step();
  }
}

TEST_CASE("ChainedScheduler: PyTorch's documented chain, ConstantLR(0.1, 20) and ExponentialLR(0.9)") {
  FakeOptimizer opt({0.05});
  auto constant = std::make_shared<ConstantLR>(opt, ConstantLROptions{.factor = 0.1, .total_iters = 20});
  auto decay = std::make_shared<ExponentialLR>(opt, ExponentialLROptions{.gamma = 0.9});
  ChainedScheduler sched(opt, {.schedulers = {constant, decay}});
  // PyTorch steps ConstantLR's recursion, then ExponentialLR's, on the same lr.
  double lr = 0.05 * 0.1;
  check_sequence(sched, opt, [&](long e, std::size_t) {
    if (e == 0) return lr;
    if (e == 20) lr *= 1.0 / 0.1;
    lr *= 0.9;
    return lr;
  });
  // PyTorch's docstring prints ten times these: 0.00675 at 19, 0.06078 at 20.
  CHECK(sched.lr_at(19) == near(0.05 * 0.1 * std::pow(0.9, 19.0)));
  CHECK(sched.lr_at(20) == near(0.05 * std::pow(0.9, 20.0)));
  // Each schedule follows the chain's epoch, with its own lr.
  CHECK(constant->last_epoch() == kSteps);
  CHECK(decay->get_last_lr()[0] == near(0.05 * std::pow(0.9, 60.0)));
}

TEST_CASE("ChainedScheduler: LinearLR warm-up over PolynomialLR, two groups, and what it refuses") {
  FakeOptimizer opt({0.1, 0.01});
  auto warmup = std::make_shared<LinearLR>(opt, LinearLROptions{.start_factor = 0.2, .total_iters = 8});
  auto poly = std::make_shared<PolynomialLR>(opt, PolynomialLROptions{.total_iters = 40, .power = 2.0});
  ChainedScheduler sched(opt, {.schedulers = {warmup, poly}});
  check_sequence(sched, opt, [](long e, std::size_t g) {
    const double base = g == 0 ? 0.1 : 0.01;
    const double linear = 0.2 + 0.8 * static_cast<double>(std::min(e, 8L)) / 8.0;
    return base * linear * std::pow(1.0 - static_cast<double>(std::min(e, 40L)) / 40.0, 2.0);
  });

  FakeOptimizer other({0.1}), mine({0.1}, 0.9);
  auto foreign = std::make_shared<ExponentialLR>(other, ExponentialLROptions{.gamma = 0.9});
  CHECK_THROWS_WITH_AS(ChainedScheduler(mine, {.schedulers = {foreign}}),
                       doctest::Contains("ChainedScheduler: schedule 0 (ExponentialLR) belongs to another optimizer"),
                       std::invalid_argument);
  CHECK_THROWS_WITH_AS(ChainedScheduler(mine, {}), doctest::Contains("ChainedScheduler: needs at least one schedule"),
                       std::invalid_argument);
  auto cyclic = std::make_shared<CyclicLR>(mine, CyclicLROptions{.base_lr = 0.01, .max_lr = 0.1, .step_size_up = 4});
  auto exp = std::make_shared<ExponentialLR>(mine, ExponentialLROptions{.gamma = 0.9});
  CHECK_THROWS_WITH_AS(ChainedScheduler(mine, {.schedulers = {exp, cyclic}}),
                       doctest::Contains("ChainedScheduler: schedule 1 (CyclicLR) sets its own lr"),
                       std::invalid_argument);
}

TEST_CASE("WSD: warm-up, stable phase and each decay shape, as a schedule and as a function") {
  const double pi = std::numbers::pi;
  const long W = 5, S = 20, D = 25;
  const auto shape = [&](WSDDecay decay, double p) {
    if (decay == WSDDecay::linear) return 1.0 - p;
    if (decay == WSDDecay::cosine) return 0.5 * (1.0 + std::cos(pi * p));
    return 1.0 - std::sqrt(p);
  };
  for (WSDDecay decay : {WSDDecay::linear, WSDDecay::cosine, WSDDecay::sqrt}) {
    INFO("decay " << static_cast<int>(decay));
    const double min_lr = decay == WSDDecay::cosine ? 0.001 : 0.0;
    const auto expected = [&](long e, double peak) {
      if (e < W) return peak * static_cast<double>(e) / W;
      if (e < W + S) return peak;
      if (e < W + S + D) return min_lr + (peak - min_lr) * shape(decay, static_cast<double>(e - W - S) / D);
      return min_lr;
    };
    FakeOptimizer opt({0.1, 0.05});
    WSD sched(opt, {.warmup_steps = W, .stable_steps = S, .decay_steps = D, .decay = decay, .min_lr = min_lr});
    check_sequence(sched, opt, [&](long e, std::size_t g) { return expected(e, g == 0 ? 0.1 : 0.05); });

    const auto fn = schedules::warmup_stable_decay_schedule(0.1, W, S, D, decay, min_lr);
    for (long e = 0; e <= kSteps; ++e) CHECK(fn(e) == near(expected(e, 0.1)));
  }
  // Landmarks of the sqrt cool-down: a quarter of the way, 1 - sqrt(1/4) = 0.5.
  FakeOptimizer opt({1.0});
  WSD sched(opt, {.warmup_steps = 0, .stable_steps = 10, .decay_steps = 8, .decay = WSDDecay::sqrt});
  CHECK(sched.lr_at(0) == near(1.0));
  CHECK(sched.lr_at(12) == near(0.5));
  CHECK(sched.lr_at(18) == near(0.0));

  CHECK_THROWS_WITH_AS(WSD(opt, {.warmup_steps = 2}),
                       doctest::Contains("WSD: warmup_stable_decay_schedule: decay_steps must be positive, got 0"),
                       std::invalid_argument);
  CHECK_THROWS_WITH_AS(WSD(opt, {.warmup_steps = -1, .decay_steps = 3}),
                       doctest::Contains("warmup_steps must be non-negative, got -1"), std::invalid_argument);
  CHECK_THROWS_WITH_AS(WSD(opt, {.decay_steps = 3, .min_lr = -0.5}),
                       doctest::Contains("WSD: min_lr must be non-negative"), std::invalid_argument);
  CHECK_THROWS_WITH_AS(WSD(opt, {.decay_steps = 3, .decay = static_cast<WSDDecay>(7)}),
                       doctest::Contains("decay must be linear, cosine or sqrt, got 7"), std::invalid_argument);
  CHECK(opt.lr() == near(1.0));  // the refused ones changed nothing: still what sched set last
}

TEST_CASE("ConstantLR and PolynomialLR refuse options out of range") {
  FakeOptimizer opt({0.1});
  CHECK_THROWS_WITH_AS(ConstantLR(opt, {.factor = 1.5}),
                       doctest::Contains("ConstantLR: factor must be in [0, 1], got 1.5"), std::invalid_argument);
  CHECK_THROWS_WITH_AS(ConstantLR(opt, {.total_iters = -2}),
                       doctest::Contains("ConstantLR: total_iters must be non-negative, got -2"),
                       std::invalid_argument);
  CHECK_THROWS_WITH_AS(PolynomialLR(opt, {.total_iters = 0}),
                       doctest::Contains("PolynomialLR: total_iters must be positive, got 0"), std::invalid_argument);
  CHECK_THROWS_WITH_AS(PolynomialLR(opt, {.power = -1.0}),
                       doctest::Contains("PolynomialLR: power must be non-negative"), std::invalid_argument);
  CHECK(opt.lr() == 0.1);
}
