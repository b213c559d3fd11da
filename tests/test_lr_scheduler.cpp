// Every schedule's lr over 60 steps against PyTorch's documented closed form
// or recursion, written out here independently of the library, to 1e-9.
#include <doctest/doctest.h>

#include <cmath>
#include <memory>
#include <numbers>
#include <vector>

#include <xgrad/optim/schedulers/schedulers.hpp>

#include "test_lr_scheduler_fake_optimizer.hpp"

using namespace xg::optim;

namespace {

constexpr double pi = std::numbers::pi;

}  // namespace

TEST_CASE("StepLR: PyTorch's documented example and the chainable recursion") {
  FakeOptimizer doc({0.05});
  StepLR doc_sched(doc, {.step_size = 30, .gamma = 0.1});
  for (long e = 0; e < 90; ++e) {
    CHECK(doc.lr() == near(e < 30 ? 0.05 : e < 60 ? 0.005 : 0.0005));
    doc_sched.step();
  }

  // lr_e = lr_{e-1} * gamma when e is a multiple of step_size, else lr_{e-1}.
  FakeOptimizer opt({0.1, 0.02});
  StepLR sched(opt, {.step_size = 7, .gamma = 0.3});
  std::vector<double> lr = {0.1, 0.02};
  long last = 0;
  check_sequence(sched, opt, [&](long e, std::size_t g) {
    if (e != last && g == 0) {
      last = e;
      for (double& l : lr)
        if (e % 7 == 0) l *= 0.3;
    }
    return lr[g];
  });
  CHECK(sched.lr_at(7, 0) == near(0.03));
  CHECK(sched.lr_at(14, 1) == near(0.02 * 0.09));
}

TEST_CASE("MultiStepLR: documented example, unsorted and repeated milestones") {
  FakeOptimizer doc({0.05});
  MultiStepLR doc_sched(doc, {.milestones = {30, 80}, .gamma = 0.1});
  for (long e = 0; e < 100; ++e) {
    CHECK(doc.lr() == near(e < 30 ? 0.05 : e < 80 ? 0.005 : 0.0005));
    doc_sched.step();
  }

  // Recursion: at an epoch listed k times the lr is multiplied by gamma^k.
  FakeOptimizer opt({0.2});
  MultiStepLR sched(opt, {.milestones = {25, 10, 40, 40}, .gamma = 0.5});
  double lr = 0.2;
  check_sequence(sched, opt, [&](long e, std::size_t) {
    if (e == 10 || e == 25) lr *= 0.5;
    if (e == 40) lr *= 0.25;
    return lr;
  });
  CHECK(sched.lr_at(9, 0) == near(0.2));
  CHECK(sched.lr_at(10, 0) == near(0.1));
  CHECK(sched.lr_at(39, 0) == near(0.05));
  CHECK(sched.lr_at(40, 0) == near(0.0125));
}

TEST_CASE("ExponentialLR: lr_e = gamma times lr_{e-1}") {
  FakeOptimizer opt({0.1});
  ExponentialLR sched(opt, {.gamma = 0.93});
  double lr = 0.1;
  check_sequence(sched, opt, [&](long e, std::size_t) { return e == 0 ? lr : (lr *= 0.93); });
}

TEST_CASE("CosineAnnealingLR: PyTorch's recursion, past T_max and through its special case") {
  // Documented recursion, with the branch PyTorch takes at
  // (e - 1 - T_max) % (2 T_max) == 0 where the ratio's denominator is zero.
  const double base = 0.1, eta_min = 0.001;
  const long T_max = 17;
  FakeOptimizer opt({base});
  CosineAnnealingLR sched(opt, {.T_max = T_max, .eta_min = eta_min});
  double lr = base;
  long last = 0;
  check_sequence(sched, opt, [&](long e, std::size_t) {
    if (e == last) return lr;
    last = e;
    if ((e - 1 - T_max) % (2 * T_max) == 0)
      lr += (base - eta_min) * (1 - std::cos(pi / T_max)) / 2;
    else
      lr = (1 + std::cos(pi * e / T_max)) / (1 + std::cos(pi * (e - 1) / T_max)) * (lr - eta_min) + eta_min;
    return lr;
  });
  // Closed form at the turning points: eta_min at odd multiples of T_max, base at even ones.
  CHECK(sched.lr_at(17, 0) == near(eta_min));
  CHECK(sched.lr_at(34, 0) == near(base));
  CHECK(sched.lr_at(51, 0) == near(eta_min));
  CHECK(sched.lr_at(18, 0) == near(eta_min + (base - eta_min) * (1 + std::cos(pi * 18 / 17)) / 2));
}

TEST_CASE("CosineAnnealingWarmRestarts: T_cur recursion, restarts at 5, 15, 35 for T_0=5, T_mult=2") {
  const double base = 0.1, eta_min = 0.01;
  FakeOptimizer opt({base});
  CosineAnnealingWarmRestarts sched(opt, {.T_0 = 5, .T_mult = 2, .eta_min = eta_min});
  // PyTorch's step(): T_cur += 1; if T_cur >= T_i: T_cur -= T_i, T_i *= T_mult.
  long T_cur = 0, T_i = 5, last = 0;
  check_sequence(sched, opt, [&](long e, std::size_t) {
    if (e != last) {
      last = e;
      if (++T_cur >= T_i) {
        T_cur -= T_i;
        T_i *= 2;
      }
    }
    return eta_min + (base - eta_min) * (1 + std::cos(pi * T_cur / T_i)) / 2;
  });
  for (long restart : {0, 5, 15, 35}) CHECK(sched.lr_at(restart, 0) == near(base));
  CHECK(sched.lr_at(4, 0) == near(eta_min + (base - eta_min) * (1 + std::cos(pi * 4 / 5)) / 2));
  CHECK(sched.lr_at(34, 0) == near(eta_min + (base - eta_min) * (1 + std::cos(pi * 19 / 20)) / 2));
  CHECK(sched.lr_at(10, 0) == near(eta_min + (base - eta_min) / 2));  // halfway through the 10-epoch period
}

TEST_CASE("CosineAnnealingWarmRestarts: T_mult=1 restarts every T_0 epochs") {
  const double base = 0.05;
  FakeOptimizer opt({base});
  CosineAnnealingWarmRestarts sched(opt, {.T_0 = 12});
  check_sequence(sched, opt,
                 [&](long e, std::size_t) { return base * (1 + std::cos(pi * static_cast<double>(e % 12) / 12)) / 2; });
  CHECK(sched.lr_at(11, 0) == near(base * (1 + std::cos(pi * 11 / 12)) / 2));
  CHECK(sched.lr_at(12, 0) == near(base));
  CHECK(sched.lr_at(6, 0) == near(base / 2));
}

namespace {

// PyTorch's CyclicLR.get_lr, in floating point as documented.
struct CyclicReference {
  double up, down;
  double scale_factor(long e) const {
    const double total = up + down, ratio = up / total;
    const double cycle = std::floor(1 + e / total);
    const double x = 1.0 + e / total - cycle;
    return x <= ratio ? x / ratio : (x - 1) / (ratio - 1);
  }
  double cycle(long e) const { return std::floor(1 + e / (up + down)); }
};

}  // namespace

TEST_CASE("CyclicLR triangular: lr and momentum over asymmetric cycles") {
  FakeOptimizer opt({0.5}, 0.0);
  CyclicLR sched(opt, {.base_lr = 0.01, .max_lr = 0.1, .step_size_up = 5, .step_size_down = 7});
  const CyclicReference ref{5, 7};
  check_sequence(sched, opt, [&](long e, std::size_t) { return 0.01 + (0.1 - 0.01) * ref.scale_factor(e); });
  for (long e = 0; e <= kSteps; ++e) {
    INFO("epoch " << e);
    CHECK(*sched.momentum_at(e, 0) == near(0.9 - (0.9 - 0.8) * ref.scale_factor(e)));
  }
  CHECK(*opt.momentum() == near(0.9 - 0.1 * ref.scale_factor(kSteps)));
  // Peaks at 5, 17, 29; back to base_lr at every cycle boundary 12, 24, 36.
  for (long peak : {5, 17, 29}) CHECK(sched.lr_at(peak, 0) == near(0.1));
  for (long boundary : {0, 12, 24, 36}) CHECK(sched.lr_at(boundary, 0) == near(0.01));
  CHECK(sched.lr_at(8, 0) == near(0.01 + 0.09 * 4.0 / 7.0));
}

TEST_CASE("CyclicLR triangular2 halves the amplitude every cycle, exp_range scales it by gamma^step") {
  const CyclicReference ref{4, 4};
  FakeOptimizer opt({0.1}, 0.9);
  CyclicLR tri2(opt, {.base_lr = 0.001, .max_lr = 0.009, .step_size_up = 4, .mode = CyclicLRMode::triangular2});
  check_sequence(tri2, opt, [&](long e, std::size_t) {
    return 0.001 + 0.008 * ref.scale_factor(e) / std::pow(2.0, ref.cycle(e) - 1);
  });
  CHECK(tri2.lr_at(4, 0) == near(0.009));
  CHECK(tri2.lr_at(12, 0) == near(0.005));
  CHECK(tri2.lr_at(20, 0) == near(0.003));
  CHECK(*tri2.momentum_at(12, 0) == near(0.85));

  FakeOptimizer opt2({0.1}, 0.9);
  CyclicLR exp_range(
      opt2, {.base_lr = 0.001, .max_lr = 0.009, .step_size_up = 4, .mode = CyclicLRMode::exp_range, .gamma = 0.97});
  check_sequence(exp_range, opt2,
                 [&](long e, std::size_t) { return 0.001 + 0.008 * ref.scale_factor(e) * std::pow(0.97, e); });
  CHECK(exp_range.lr_at(4, 0) == near(0.001 + 0.008 * std::pow(0.97, 4)));
}

TEST_CASE("CyclicLR custom scale_fn, per-group bounds, no momentum") {
  const CyclicReference ref{3, 6};
  FakeOptimizer opt({0.1, 0.1});
  const auto scale = [](double x) { return 1.0 / x; };
  CyclicLR by_cycle(opt, {.base_lr = {0.01, 0.02},
                          .max_lr = {0.04, 0.08},
                          .step_size_up = 3,
                          .step_size_down = 6,
                          .scale_fn = scale,
                          .cycle_momentum = false});
  check_sequence(by_cycle, opt, [&](long e, std::size_t g) {
    const double base = g == 0 ? 0.01 : 0.02, max = g == 0 ? 0.04 : 0.08;
    return base + (max - base) * ref.scale_factor(e) / ref.cycle(e);
  });
  CHECK(!by_cycle.momentum_at(3, 0));

  FakeOptimizer opt2({0.1});
  CyclicLR by_step(opt2, {.base_lr = 0.01,
                          .max_lr = 0.04,
                          .step_size_up = 3,
                          .step_size_down = 6,
                          .scale_fn = [](double x) { return 1.0 / (1.0 + x); },
                          .scale_mode = CyclicLRScaleMode::iterations,
                          .cycle_momentum = false});
  check_sequence(by_step, opt2, [&](long e, std::size_t) {
    return 0.01 + 0.03 * ref.scale_factor(e) / (1.0 + static_cast<double>(e));
  });
}

namespace {

double anneal_cos(double start, double end, double pct) { return end + (start - end) / 2.0 * (std::cos(pi * pct) + 1); }
double anneal_linear(double start, double end, double pct) { return (end - start) * pct + start; }

}  // namespace

TEST_CASE("OneCycleLR cos, two phases: 0.004 -> 0.1 at step 14 -> 4e-7 at step 59, momentum inverse") {
  // max_lr 0.1, div_factor 25: initial 0.004; final_div_factor 1e4: min 4e-7.
  // pct_start 0.25 of 60 steps: phase ends at 0.25 * 60 - 1 = 14 and 59.
  FakeOptimizer opt({1.0}, 0.0);
  OneCycleLR sched(opt, {.max_lr = 0.1, .total_steps = 60, .pct_start = 0.25});
  const auto lr = [](long e, std::size_t) {
    return e <= 14 ? anneal_cos(0.004, 0.1, e / 14.0) : anneal_cos(0.1, 4e-7, (e - 14) / 45.0);
  };
  check_sequence(sched, opt, lr);
  for (long e = 0; e <= kSteps; ++e) {
    const double m = e <= 14 ? anneal_cos(0.95, 0.85, e / 14.0) : anneal_cos(0.85, 0.95, (e - 14) / 45.0);
    CHECK(*sched.momentum_at(e, 0) == near(m));
  }
  CHECK(sched.lr_at(0, 0) == near(0.004));
  CHECK(sched.lr_at(14, 0) == near(0.1));
  CHECK(sched.lr_at(59, 0) == near(4e-7));
  CHECK(*opt.momentum() == near(anneal_cos(0.85, 0.95, 46 / 45.0)));

  // Step 60 is the last PyTorch allows; the next throws and changes nothing.
  CHECK_THROWS_AS(sched.step(), std::out_of_range);
  CHECK(sched.last_epoch() == 60);
  CHECK(opt.lr() == near(lr(60, 0)));
}

TEST_CASE("OneCycleLR linear, three phases, total_steps from epochs and steps_per_epoch") {
  // Ends 14, 2 * 0.25 * 60 - 2 = 28, 59.
  FakeOptimizer opt({1.0}, 0.0);
  OneCycleLR sched(opt, {.max_lr = 0.1,
                         .epochs = 6,
                         .steps_per_epoch = 10,
                         .pct_start = 0.25,
                         .anneal_strategy = AnnealStrategy::linear,
                         .three_phase = true});
  CHECK(sched.total_steps() == 60);
  check_sequence(sched, opt, [](long e, std::size_t) {
    if (e <= 14) return anneal_linear(0.004, 0.1, e / 14.0);
    if (e <= 28) return anneal_linear(0.1, 0.004, (e - 14) / 14.0);
    return anneal_linear(0.004, 4e-7, (e - 28) / 31.0);
  });
  for (long e = 0; e <= kSteps; ++e) {
    const double m = e <= 14   ? anneal_linear(0.95, 0.85, e / 14.0)
                     : e <= 28 ? anneal_linear(0.85, 0.95, (e - 14) / 14.0)
                               : 0.95;
    CHECK(*sched.momentum_at(e, 0) == near(m));
  }
  CHECK(sched.lr_at(7, 0) == near(0.052));
  CHECK(sched.lr_at(28, 0) == near(0.004));
}

TEST_CASE("OneCycleLR three phases with cos annealing, per-group max_lr") {
  FakeOptimizer opt({1.0, 1.0}, 0.5);
  OneCycleLR sched(opt, {.max_lr = {0.1, 0.5}, .total_steps = 60, .pct_start = 0.25, .three_phase = true});
  check_sequence(sched, opt, [](long e, std::size_t g) {
    const double max = g == 0 ? 0.1 : 0.5, initial = max / 25, min = initial / 1e4;
    if (e <= 14) return anneal_cos(initial, max, e / 14.0);
    if (e <= 28) return anneal_cos(max, initial, (e - 14) / 14.0);
    return anneal_cos(initial, min, (e - 28) / 31.0);
  });
}

TEST_CASE("LinearLR: documented example and PyTorch's chainable recursion") {
  // lr = 0.025, 0.03125, 0.0375, 0.04375, then 0.05 for start_factor 0.5, total_iters 4.
  FakeOptimizer doc({0.05});
  LinearLR doc_sched(doc, {.start_factor = 0.5, .total_iters = 4});
  for (double expected : {0.025, 0.03125, 0.0375, 0.04375, 0.05, 0.05}) {
    CHECK(doc.lr() == near(expected));
    doc_sched.step();
  }

  // lr_e = lr_{e-1} * (1 + (end - start) / (T * start + (e - 1) * (end - start))) for 1 <= e <= T.
  const double start = 0.25, end = 0.9;
  const long T = 8;
  FakeOptimizer opt({0.3, 0.03});
  LinearLR sched(opt, {.start_factor = start, .end_factor = end, .total_iters = T});
  std::vector<double> lr = {0.3 * start, 0.03 * start};
  long last = 0;
  check_sequence(sched, opt, [&](long e, std::size_t g) {
    if (e != last && g == 0) {
      last = e;
      if (e <= T)
        for (double& l : lr) l *= 1 + (end - start) / (T * start + (e - 1) * (end - start));
    }
    return lr[g];
  });
  CHECK(sched.lr_at(60, 0) == near(0.3 * 0.9));
}

TEST_CASE("LambdaLR: PyTorch's two-group example, epoch // 30 and 0.95^epoch") {
  FakeOptimizer opt({0.1, 0.2});
  LambdaLR sched(opt, {.lr_lambda = {[](long e) { return static_cast<double>(e / 30); },
                                     [](long e) { return std::pow(0.95, static_cast<double>(e)); }}});
  check_sequence(sched, opt, [](long e, std::size_t g) {
    return g == 0 ? 0.1 * static_cast<double>(e / 30) : 0.2 * std::pow(0.95, static_cast<double>(e));
  });

  FakeOptimizer one({0.1, 0.2});
  LambdaLR shared(one, {.lr_lambda = [](long e) { return 1.0 / (1.0 + static_cast<double>(e)); }});
  check_sequence(shared, one,
                 [](long e, std::size_t g) { return (g == 0 ? 0.1 : 0.2) / (1.0 + static_cast<double>(e)); });
}

TEST_CASE("SequentialLR: LinearLR warm-up then CosineAnnealingLR from the original lr") {
  const double base = 0.1, eta_min = 1e-4;
  FakeOptimizer opt({base});
  auto warmup = std::make_shared<LinearLR>(opt, LinearLROptions{.start_factor = 0.1, .total_iters = 5});
  auto cosine = std::make_shared<CosineAnnealingLR>(opt, CosineAnnealingLROptions{.T_max = 55, .eta_min = eta_min});
  SequentialLR sched(opt, {.schedulers = {warmup, cosine}, .milestones = {5}});
  check_sequence(sched, opt, [&](long e, std::size_t) {
    if (e < 5) return base * (0.1 + 0.9 * static_cast<double>(e) / 5);
    return eta_min + (base - eta_min) * (1 + std::cos(pi * static_cast<double>(e - 5) / 55)) / 2;
  });
  CHECK(sched.lr_at(5, 0) == near(base));
  CHECK(sched.lr_at(60, 0) == near(eta_min));
  // The active schedule counts its own epochs.
  CHECK(cosine->last_epoch() == 55);
  CHECK(cosine->get_last_lr()[0] == near(eta_min));
}

TEST_CASE("SequentialLR: PyTorch's documented example, constant factor 0.1 then ExponentialLR(0.9)") {
  // lr = 0.005, 0.005, then 0.05, 0.045, 0.0405 from milestone 2 (ConstantLR
  // written as a LambdaLR).
  FakeOptimizer opt({0.05});
  auto constant =
      std::make_shared<LambdaLR>(opt, LambdaLROptions{.lr_lambda = [](long e) { return e < 2 ? 0.1 : 1.0; }});
  auto decay = std::make_shared<ExponentialLR>(opt, ExponentialLROptions{.gamma = 0.9});
  SequentialLR sched(opt, {.schedulers = {constant, decay}, .milestones = {2}});
  for (double expected : {0.005, 0.005, 0.05, 0.045, 0.0405}) {
    CHECK(opt.lr() == near(expected));
    sched.step();
  }
}

TEST_CASE("SequentialLR: three schedules, restart at each milestone, momentum from OneCycleLR") {
  FakeOptimizer opt({0.2}, 0.9);
  auto one_cycle = std::make_shared<OneCycleLR>(opt, OneCycleLROptions{.max_lr = 1.0, .total_steps = 20});
  auto step = std::make_shared<StepLR>(opt, StepLROptions{.step_size = 4, .gamma = 0.5});
  auto exp = std::make_shared<ExponentialLR>(opt, ExponentialLROptions{.gamma = 0.8});
  SequentialLR sched(opt, {.schedulers = {one_cycle, step, exp}, .milestones = {20, 40}});
  // OneCycleLR sets its own base (1.0 / 25 = 0.04); the others scale it, as
  // PyTorch's OneCycleLR rewrites the groups' initial_lr.
  check_sequence(sched, opt, [](long e, std::size_t) {
    if (e < 20) return e <= 5 ? anneal_cos(0.04, 1.0, e / 5.0) : anneal_cos(1.0, 4e-6, (e - 5) / 14.0);
    if (e < 40) return 0.04 * std::pow(0.5, static_cast<double>((e - 20) / 4));
    return 0.04 * std::pow(0.8, static_cast<double>(e - 40));
  });
  CHECK(*sched.momentum_at(5, 0) == near(0.85));
  CHECK(!sched.momentum_at(25, 0));
}

namespace {

// PyTorch's ReduceLROnPlateau.step, written out for one group.
struct PlateauReference {
  bool max_mode;
  bool rel;
  double factor, threshold, min_lr, eps;
  long patience, cooldown;
  double lr;
  double best = max_mode ? -INFINITY : INFINITY;
  long bad = 0, cooldown_counter = 0;

  void step(double metric) {
    const bool better = max_mode ? (rel ? metric > best * (1 + threshold) : metric > best + threshold)
                                 : (rel ? metric < best * (1 - threshold) : metric < best - threshold);
    if (better) {
      best = metric;
      bad = 0;
    } else {
      ++bad;
    }
    if (cooldown_counter > 0) {
      --cooldown_counter;
      bad = 0;
    }
    if (bad > patience) {
      const double new_lr = std::max(lr * factor, min_lr);
      if (lr - new_lr > eps) lr = new_lr;
      cooldown_counter = cooldown;
      bad = 0;
    }
  }
};

}  // namespace

TEST_CASE("ReduceLROnPlateau: a sequence worked out by hand") {
  FakeOptimizer opt({0.1});
  ReduceLROnPlateau sched(opt, {.factor = 0.5, .patience = 2, .threshold = 0.1, .cooldown = 1, .min_lr = 0.01});
  CHECK(sched.get_last_lr()[0] == 0.1);
  // 10 sets best; 9.5, 9.2, 9.1 are not below 10 * 0.9: the third bad epoch
  // exceeds patience 2 and halves the lr. 9.0 falls in the cooldown. 8 sets a
  // new best; three more 8s halve again, and so on down to min_lr 0.01, where
  // a reduction smaller than eps is skipped.
  const double metrics[] = {10, 9.5, 9.2, 9.1, 9.0, 8, 8, 8, 8, 8, 8, 8, 8, 8, 8, 8, 8, 8, 8, 8, 8};
  const double expected[] = {0.1,   0.1,    0.1,    0.05,   0.05,   0.05, 0.05, 0.05, 0.025, 0.025, 0.025,
                             0.025, 0.0125, 0.0125, 0.0125, 0.0125, 0.01, 0.01, 0.01, 0.01,  0.01};
  for (std::size_t i = 0; i < std::size(metrics); ++i) {
    INFO("epoch " << i + 1);
    sched.step(metrics[i]);
    CHECK(opt.lr() == near(expected[i]));
    CHECK(sched.get_last_lr()[0] == opt.lr());
  }
  CHECK(sched.last_epoch() == 21);
  CHECK(sched.best() == 8);
}

TEST_CASE("ReduceLROnPlateau: patience 0 as PyTorch documents it") {
  // The first epoch sets the baseline; a worse second epoch reduces at once.
  FakeOptimizer opt({1.0});
  ReduceLROnPlateau sched(opt, {.patience = 0});
  sched.step(1.0);
  CHECK(opt.lr() == 1.0);
  sched.step(2.0);
  CHECK(opt.lr() == near(0.1));
  sched.step(0.5);
  CHECK(opt.lr() == near(0.1));
  sched.step(0.5);
  CHECK(opt.lr() == near(0.01));
}

TEST_CASE("ReduceLROnPlateau: 60 steps against PyTorch's recursion, every mode") {
  for (bool max_mode : {false, true})
    for (bool rel : {false, true}) {
      CAPTURE(max_mode);
      CAPTURE(rel);
      FakeOptimizer opt({0.1, 0.1});
      ReduceLROnPlateau sched(opt, {.mode = max_mode ? PlateauMode::max : PlateauMode::min,
                                    .factor = 0.7,
                                    .patience = 3,
                                    .threshold = rel ? 0.02 : 0.05,
                                    .threshold_mode = rel ? ThresholdMode::rel : ThresholdMode::abs,
                                    .cooldown = 2,
                                    .min_lr = {0.0, 0.03}});
      PlateauReference group0{max_mode, rel, 0.7, rel ? 0.02 : 0.05, 0.0, 1e-8, 3, 2, 0.1};
      PlateauReference group1 = group0;
      group1.min_lr = 0.03;
      unsigned state = 12345;
      for (long e = 1; e <= kSteps; ++e) {
        // A noisy metric that improves ever more slowly.
        state = state * 1103515245u + 12345u;
        const double noise = static_cast<double>((state >> 16) & 0x7fff) / 32768.0 - 0.5;
        const double trend = 1.0 / (1.0 + 0.1 * static_cast<double>(e));
        const double metric = (max_mode ? 2.0 - trend : trend) + 0.05 * noise;
        sched.step(metric);
        group0.step(metric);
        group1.step(metric);
        INFO("epoch " << e);
        CHECK(opt.lr(0) == near(group0.lr));
        CHECK(opt.lr(1) == near(group1.lr));
        CHECK(sched.num_bad_epochs() == group0.bad);
        CHECK(sched.cooldown_counter() == group0.cooldown_counter);
      }
      CHECK(opt.lr(0) < 0.1);  // the run reduced at least once
    }
}

TEST_CASE("ClosedFormLR: a formula of one's own gets the group's base lr, the epoch and the group, and its state") {
  FakeOptimizer opt({0.5, 2.0});
  // An inverse square-root decay after a linear warm-up of 4 epochs, halved for group 1.
  const xg::optim::ClosedFormLR::Formula formula = [](double base_lr, long epoch, std::size_t group) {
    const double warm = epoch < 4 ? (epoch + 1) / 4.0 : std::sqrt(4.0 / (epoch + 1));
    return base_lr * warm * (group == 1 ? 0.5 : 1.0);
  };
  xg::optim::ClosedFormLR sched(opt, "InverseSqrtLR", formula);
  CHECK(sched.name() == "InverseSqrtLR");
  CHECK(opt.lr(0) == doctest::Approx(0.5 * 0.25));
  CHECK(opt.lr(1) == doctest::Approx(2.0 * 0.25 * 0.5));
  for (int e = 0; e < 15; ++e) sched.step();
  CHECK(sched.last_epoch() == 15);
  CHECK(opt.lr(0) == doctest::Approx(0.5 * std::sqrt(4.0 / 16)));
  CHECK(opt.lr(1) == doctest::Approx(2.0 * 0.5 * std::sqrt(4.0 / 16)));
  CHECK(sched.lr_at(3, 0) == doctest::Approx(0.5));

  FakeOptimizer other({0.5, 2.0});
  xg::optim::ClosedFormLR resumed(other, "InverseSqrtLR", formula);
  resumed.load_state_dict(sched.state_dict());
  CHECK(resumed.last_epoch() == 15);
  resumed.step();
  sched.step();
  CHECK(other.lr(1) == doctest::Approx(opt.lr(1)));
  FakeOptimizer third({0.5, 2.0});
  xg::optim::StepLR step_lr(third, {.step_size = 2});
  CHECK_THROWS_AS(step_lr.load_state_dict(sched.state_dict()), xg::io::FormatError);  // another schedule's state
}
