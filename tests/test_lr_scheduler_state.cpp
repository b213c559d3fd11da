// Schedules' saved state: a resumed run continues the same lr sequence, and
// a state that does not fit is refused before anything changes.
#include <doctest/doctest.h>

#include <algorithm>
#include <cstdio>
#include <filesystem>
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include <xgrad/core/archive.hpp>
#include <xgrad/optim/schedulers/schedulers.hpp>

#include "test_lr_scheduler_fake_optimizer.hpp"

using namespace xg::optim;
using xg::io::Archive;

namespace {

using Factory = std::function<std::unique_ptr<LRScheduler>(FakeOptimizer&)>;

FakeOptimizer make_optimizer() { return FakeOptimizer({0.1, 0.05}, 0.9); }

Archive round_trip(const Archive& archive) {
  return Archive::from_bytes(archive.to_bytes("lr_scheduler"), "lr_scheduler");
}

// Runs 60 steps at once, and 23 steps, save, a fresh optimizer and schedule,
// load (the optimizer's state and the schedule's), 37 steps: both must set
// the same lrs and momenta. A schedule that cycles the momentum must have
// moved it in the first run (or comparing momenta would prove nothing); any
// other must have left it at the optimizer's 0.9.
enum class Momentum { cycled, untouched };

void check_resume(const Factory& make, Momentum momentum = Momentum::untouched) {
  FakeOptimizer full_opt = make_optimizer();
  auto full = make(full_opt);
  std::vector<double> lrs, momenta;
  for (int e = 1; e <= 60; ++e) {
    full->step();
    lrs.push_back(full_opt.lr(1));
    momenta.push_back(*full_opt.momentum(1));
  }
  const auto [lowest, highest] = std::minmax_element(momenta.begin(), momenta.end());
  if (momentum == Momentum::cycled) {
    CHECK(*lowest < 0.9);
  } else {
    CHECK(*lowest == 0.9);
    CHECK(*highest == 0.9);
  }

  FakeOptimizer first_opt = make_optimizer();
  auto first = make(first_opt);
  for (int e = 1; e <= 23; ++e) first->step();
  const Archive saved_optimizer = round_trip(first_opt.state_dict());
  const Archive saved = round_trip(first->state_dict());

  FakeOptimizer resumed_opt = make_optimizer();
  auto resumed = make(resumed_opt);
  resumed_opt.load_state_dict(saved_optimizer);
  resumed->load_state_dict(saved);
  CHECK(resumed->last_epoch() == 23);
  CHECK(resumed->get_last_lr() == first->get_last_lr());
  CHECK(resumed->base_lrs() == first->base_lrs());
  for (int e = 24; e <= 60; ++e) {
    resumed->step();
    INFO("epoch " << e);
    CHECK(resumed_opt.lr(1) == lrs[e - 1]);
    CHECK(*resumed_opt.momentum(1) == momenta[e - 1]);
  }
}

}  // namespace

TEST_CASE("LR scheduler state: every schedule resumes where it was saved") {
  SUBCASE("StepLR") {
    check_resume([](FakeOptimizer& o) { return std::make_unique<StepLR>(o, StepLROptions{.step_size = 7}); });
  }
  SUBCASE("MultiStepLR") {
    check_resume([](FakeOptimizer& o) {
      return std::make_unique<MultiStepLR>(o, MultiStepLROptions{.milestones = {5, 30}});
    });
  }
  SUBCASE("ExponentialLR") {
    check_resume(
        [](FakeOptimizer& o) { return std::make_unique<ExponentialLR>(o, ExponentialLROptions{.gamma = 0.9}); });
  }
  SUBCASE("CosineAnnealingLR") {
    check_resume(
        [](FakeOptimizer& o) { return std::make_unique<CosineAnnealingLR>(o, CosineAnnealingLROptions{.T_max = 10}); });
  }
  SUBCASE("CosineAnnealingWarmRestarts") {
    check_resume([](FakeOptimizer& o) {
      return std::make_unique<CosineAnnealingWarmRestarts>(o,
                                                           CosineAnnealingWarmRestartsOptions{.T_0 = 3, .T_mult = 2});
    });
  }
  SUBCASE("CyclicLR") {
    check_resume(
        [](FakeOptimizer& o) {
          return std::make_unique<CyclicLR>(
              o, CyclicLROptions{.base_lr = 0.01, .max_lr = 0.1, .step_size_up = 4, .mode = CyclicLRMode::triangular2});
        },
        Momentum::cycled);
  }
  SUBCASE("OneCycleLR") {
    check_resume(
        [](FakeOptimizer& o) {
          return std::make_unique<OneCycleLR>(o,
                                              OneCycleLROptions{.max_lr = 0.5, .total_steps = 60, .three_phase = true});
        },
        Momentum::cycled);
  }
  SUBCASE("LinearLR") {
    check_resume([](FakeOptimizer& o) { return std::make_unique<LinearLR>(o, LinearLROptions{.total_iters = 30}); });
  }
  SUBCASE("LambdaLR") {
    check_resume([](FakeOptimizer& o) {
      return std::make_unique<LambdaLR>(o, LambdaLROptions{.lr_lambda = [](long e) { return 1.0 / (1 + e); }});
    });
  }
  SUBCASE("SequentialLR") {
    check_resume(
        [](FakeOptimizer& o) {
          auto warmup = std::make_shared<LinearLR>(o, LinearLROptions{.start_factor = 0.2, .total_iters = 10});
          auto cyclic =
              std::make_shared<CyclicLR>(o, CyclicLROptions{.base_lr = 0.01, .max_lr = 0.1, .step_size_up = 6});
          auto cosine = std::make_shared<CosineAnnealingLR>(o, CosineAnnealingLROptions{.T_max = 30});
          return std::make_unique<SequentialLR>(
              o, SequentialLROptions{.schedulers = {warmup, cyclic, cosine}, .milestones = {10, 20}});
        },
        Momentum::cycled);
  }
  SUBCASE("ConstantLR") {
    check_resume([](FakeOptimizer& o) {
      return std::make_unique<ConstantLR>(o, ConstantLROptions{.factor = 0.2, .total_iters = 30});
    });
  }
  SUBCASE("MultiplicativeLR") {
    check_resume([](FakeOptimizer& o) {
      return std::make_unique<MultiplicativeLR>(
          o, MultiplicativeLROptions{.lr_lambda = [](long e) { return 1.0 - 0.001 * e; }});
    });
  }
  SUBCASE("PolynomialLR") {
    check_resume([](FakeOptimizer& o) {
      return std::make_unique<PolynomialLR>(o, PolynomialLROptions{.total_iters = 50, .power = 0.7});
    });
  }
  SUBCASE("WSD") {
    check_resume([](FakeOptimizer& o) {
      return std::make_unique<WSD>(
          o, WSDOptions{
                 .warmup_steps = 5, .stable_steps = 15, .decay_steps = 30, .decay = WSDDecay::sqrt, .min_lr = 1e-3});
    });
  }
  SUBCASE("SWALR") {
    check_resume(
        [](FakeOptimizer& o) { return std::make_unique<SWALR>(o, SWALROptions{.swa_lr = 0.02, .anneal_epochs = 40}); });
  }
  SUBCASE("ChainedScheduler") {
    check_resume([](FakeOptimizer& o) {
      auto constant = std::make_shared<ConstantLR>(o, ConstantLROptions{.factor = 0.5, .total_iters = 25});
      auto multiplicative =
          std::make_shared<MultiplicativeLR>(o, MultiplicativeLROptions{.lr_lambda = [](long) { return 0.97; }});
      return std::make_unique<ChainedScheduler>(o, ChainedSchedulerOptions{.schedulers = {constant, multiplicative}});
    });
  }
}

TEST_CASE("LR scheduler state: ReduceLROnPlateau resumes its counters and best value") {
  const auto metric = [](int e) { return e < 10 ? 1.0 / e : 0.1 + 0.001 * (e % 3); };
  FakeOptimizer full_opt({0.1});
  ReduceLROnPlateau full(full_opt, {.patience = 2, .cooldown = 1});
  std::vector<double> lrs;
  for (int e = 1; e <= 60; ++e) {
    full.step(metric(e));
    lrs.push_back(full_opt.lr());
  }

  FakeOptimizer first_opt({0.1});
  ReduceLROnPlateau first(first_opt, {.patience = 2, .cooldown = 1});
  for (int e = 1; e <= 13; ++e) first.step(metric(e));
  const Archive saved_optimizer = round_trip(first_opt.state_dict());
  const Archive saved = round_trip(first.state_dict());

  // The optimizer's own state restores the lr the schedule reduced.
  FakeOptimizer resumed_opt({0.1});
  ReduceLROnPlateau resumed(resumed_opt, {.patience = 2, .cooldown = 1});
  resumed_opt.load_state_dict(saved_optimizer);
  resumed.load_state_dict(saved);
  CHECK(resumed.best() == first.best());
  CHECK(resumed.num_bad_epochs() == first.num_bad_epochs());
  CHECK(resumed.cooldown_counter() == first.cooldown_counter());
  CHECK(resumed.last_epoch() == 13);
  for (int e = 14; e <= 60; ++e) {
    resumed.step(metric(e));
    CHECK(resumed_opt.lr() == lrs[e - 1]);
  }
  CHECK(lrs.back() < 0.1);  // the run reduced at least once
}

TEST_CASE("LR scheduler state: shares an archive under a prefix, and saves to a file") {
  FakeOptimizer opt({0.1});
  StepLR sched(opt, {.step_size = 3});
  for (int e = 0; e < 4; ++e) sched.step();
  Archive shared;
  shared.put_number("optimizer_entry", 1.0);
  sched.save_state(shared, "lr_scheduler.");
  CHECK(shared.get_number("lr_scheduler.last_epoch") == 4);

  FakeOptimizer opt2({0.1});
  StepLR resumed(opt2, {.step_size = 3});
  resumed.load_state(round_trip(shared), "lr_scheduler.");
  CHECK(resumed.last_epoch() == 4);

  const auto path = (std::filesystem::temp_directory_path() / "xgrad_test_lr_scheduler_state.bin").string();
  sched.save(path);
  FakeOptimizer opt3({0.1});
  StepLR from_file(opt3, {.step_size = 3});
  from_file.load(path);
  std::remove(path.c_str());
  CHECK(from_file.last_epoch() == 4);
  from_file.step();
  from_file.step();
  CHECK(opt3.lr() == near(0.1 * 0.1 * 0.1));  // epoch 6: decayed at 3 and 6
}

TEST_CASE("LR scheduler state: a state that does not fit is refused and changes nothing") {
  FakeOptimizer opt({0.1, 0.05});
  StepLR step(opt, {.step_size = 3});
  step.step();

  FakeOptimizer other_opt({0.1, 0.05});
  ExponentialLR exponential(other_opt, {.gamma = 0.5});
  for (int e = 0; e < 5; ++e) exponential.step();
  CHECK_THROWS_AS(step.load_state_dict(exponential.state_dict()), xg::io::FormatError);
  CHECK(step.last_epoch() == 1);

  FakeOptimizer one_group({0.1});
  StepLR narrow(one_group, {.step_size = 3});
  CHECK_THROWS_WITH_AS(step.load_state_dict(narrow.state_dict()), doctest::Contains("param groups"),
                       xg::io::FormatError);
  CHECK(step.last_epoch() == 1);

  Archive bad_epoch;
  bad_epoch.put_string("type", "ExponentialLR");
  bad_epoch.put_number("last_epoch", -3);
  CHECK_THROWS_AS(exponential.load_state_dict(bad_epoch), xg::io::FormatError);
  CHECK(exponential.last_epoch() == 5);

  // A OneCycleLR state past the end of a shorter cycle.
  FakeOptimizer cycle_opt({0.1}, 0.9);
  OneCycleLR long_cycle(cycle_opt, {.max_lr = 1.0, .total_steps = 50});
  for (int e = 0; e < 40; ++e) long_cycle.step();
  FakeOptimizer short_opt({0.1}, 0.9);
  OneCycleLR short_cycle(short_opt, {.max_lr = 1.0, .total_steps = 30});
  CHECK_THROWS_AS(short_cycle.load_state_dict(long_cycle.state_dict()), xg::io::FormatError);
  CHECK(short_cycle.last_epoch() == 0);

  // A SequentialLR checks every nested state before loading any.
  const auto make_sequence = [](FakeOptimizer& o, long T_max) {
    auto a = std::make_shared<StepLR>(o, StepLROptions{.step_size = 2});
    auto b = std::make_shared<OneCycleLR>(o, OneCycleLROptions{.max_lr = 1.0, .total_steps = T_max});
    return std::make_unique<SequentialLR>(o, SequentialLROptions{.schedulers = {a, b}, .milestones = {5}});
  };
  FakeOptimizer seq_opt({0.1}, 0.9);
  auto long_seq = make_sequence(seq_opt, 40);
  for (int e = 0; e < 40; ++e) long_seq->step();
  FakeOptimizer seq_opt2({0.1}, 0.9);
  auto short_seq = make_sequence(seq_opt2, 20);
  CHECK_THROWS_AS(short_seq->load_state_dict(long_seq->state_dict()), xg::io::FormatError);
  CHECK(short_seq->last_epoch() == 0);
  CHECK(short_seq->schedulers()[0]->last_epoch() == 0);
  CHECK(short_seq->schedulers()[1]->last_epoch() == 0);

  FakeOptimizer plateau_opt({0.1});
  ReduceLROnPlateau plateau(plateau_opt);
  CHECK_THROWS_AS(plateau.load_state_dict(step.state_dict()), xg::io::FormatError);
  CHECK_THROWS_AS(step.load_state_dict(plateau.state_dict()), xg::io::FormatError);
}
