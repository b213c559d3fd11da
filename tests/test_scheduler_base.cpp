// Schedules seen through SchedulerBase, as checkpoints see them: LRScheduler
// and ReduceLROnPlateau both save into a shared archive under a prefix, a
// resumed schedule continues identically, and a state that does not fit is
// refused by check_state and load_state with the schedule unchanged.
#include <doctest/doctest.h>

#include <memory>
#include <string>
#include <vector>

#include <xgrad/core/archive.hpp>
#include <xgrad/optim/schedulers/schedulers.hpp>

#include "test_lr_scheduler_fake_optimizer.hpp"

using namespace xg::optim;
using xg::io::Archive;

namespace {

// A metric that improves for a while, then stalls and wobbles, so that the
// plateau schedule reduces the lr several times within 40 epochs.
double metric_at(int epoch) { return epoch < 8 ? 1.0 / epoch : 0.125 + 0.001 * (epoch % 3); }

Archive through_bytes(const Archive& a) { return Archive::from_bytes(a.to_bytes("checkpoint"), "checkpoint"); }

}  // namespace

TEST_CASE("scheduler base: a CosineAnnealingLR resumed through the interface sets the same lrs") {
  FakeOptimizer full_opt({0.1});
  CosineAnnealingLR full(full_opt, {.T_max = 30});
  std::vector<double> lrs;
  for (int e = 1; e <= 40; ++e) {
    full.step();
    lrs.push_back(full_opt.lr());
  }

  FakeOptimizer first_opt({0.1});
  CosineAnnealingLR first(first_opt, {.T_max = 30});
  for (int e = 1; e <= 17; ++e) first.step();
  Archive shared = first_opt.state_dict();
  const SchedulerBase& saving = first;
  saving.save_state(shared, "scheduler.");
  shared = through_bytes(shared);

  FakeOptimizer resumed_opt({0.1});
  CosineAnnealingLR resumed(resumed_opt, {.T_max = 30});
  SchedulerBase& loading = resumed;
  CHECK(loading.name() == "CosineAnnealingLR");
  loading.check_state(shared, "scheduler.");
  resumed_opt.load_state_dict(shared);
  loading.load_state(shared, "scheduler.");
  CHECK(resumed.last_epoch() == 17);
  for (int e = 18; e <= 40; ++e) {
    resumed.step();
    CAPTURE(e);
    CHECK(resumed_opt.lr() == lrs[e - 1]);
  }
}

TEST_CASE("scheduler base: a ReduceLROnPlateau resumed through the interface reduces at the same epochs") {
  const ReduceLROnPlateauOptions options{.factor = 0.5, .patience = 2, .cooldown = 1};
  FakeOptimizer full_opt({0.1});
  ReduceLROnPlateau full(full_opt, options);
  std::vector<double> lrs;
  for (int e = 1; e <= 40; ++e) {
    full.step(metric_at(e));
    lrs.push_back(full_opt.lr());
  }
  // The run must reduce both before and after the resume point to test anything.
  REQUIRE(lrs[11] < 0.1);
  REQUIRE(lrs[39] < lrs[13]);

  FakeOptimizer first_opt({0.1});
  ReduceLROnPlateau first(first_opt, options);
  for (int e = 1; e <= 14; ++e) first.step(metric_at(e));
  Archive shared = first_opt.state_dict();
  static_cast<const SchedulerBase&>(first).save_state(shared, "plateau.");
  shared = through_bytes(shared);

  FakeOptimizer resumed_opt({0.1});
  ReduceLROnPlateau resumed(resumed_opt, options);
  SchedulerBase& loading = resumed;
  CHECK(loading.name() == "ReduceLROnPlateau");
  resumed_opt.load_state_dict(shared);
  loading.load_state(shared, "plateau.");
  CHECK(resumed.best() == first.best());
  CHECK(resumed.num_bad_epochs() == first.num_bad_epochs());
  CHECK(resumed.cooldown_counter() == first.cooldown_counter());
  for (int e = 15; e <= 40; ++e) {
    resumed.step(metric_at(e));
    CAPTURE(e);
    CHECK(resumed_opt.lr() == lrs[e - 1]);
  }
}

TEST_CASE("scheduler base: check_state and load_state refuse another schedule's state, changing nothing") {
  FakeOptimizer opt({0.1});
  StepLR step_lr(opt, {.step_size = 3});
  ReduceLROnPlateau plateau(opt, {});
  for (int e = 0; e < 5; ++e) {
    step_lr.step();
    plateau.step(1.0 / (e + 1));
  }
  Archive step_state, plateau_state;
  step_lr.save_state(step_state, "s.");
  plateau.save_state(plateau_state, "s.");

  FakeOptimizer other_opt({0.1});
  StepLR fresh_step(other_opt, {.step_size = 3});
  ReduceLROnPlateau fresh_plateau(other_opt, {});
  SchedulerBase& a = fresh_step;
  SchedulerBase& b = fresh_plateau;
  CHECK_THROWS_WITH_AS(a.check_state(plateau_state, "s."), doctest::Contains("ReduceLROnPlateau"), xg::io::FormatError);
  CHECK_THROWS_AS(a.load_state(plateau_state, "s."), xg::io::FormatError);
  CHECK_THROWS_WITH_AS(b.check_state(step_state, "s."), doctest::Contains("StepLR"), xg::io::FormatError);
  CHECK_THROWS_AS(b.load_state(step_state, "s."), xg::io::FormatError);
  CHECK_THROWS_AS(b.check_state(plateau_state, "other."), xg::io::FormatError);
  CHECK(fresh_step.last_epoch() == 0);
  CHECK(fresh_plateau.last_epoch() == 0);
  CHECK(fresh_plateau.num_bad_epochs() == 0);
}
