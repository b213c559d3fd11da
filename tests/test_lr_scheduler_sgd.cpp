// Schedules driving a real optimizer: SGD's updates use the lr and momentum
// the schedule set, and the schedule's state travels in the optimizer's
// archive.
#include <doctest/doctest.h>

#include <xgrad/core/archive.hpp>
#include <xgrad/core/factories.hpp>
#include <xgrad/optim/schedulers/schedulers.hpp>
#include <xgrad/optim/sgd.hpp>

#include "test_lr_scheduler_fake_optimizer.hpp"

using namespace xg::optim;

TEST_CASE("LR scheduler with SGD: each update uses the lr the schedule set") {
  auto p = xg::tensor<double>({1.0}, true);
  SGD<double> opt({p}, {.lr = 0.1});
  StepLR sched(opt, {.step_size = 2, .gamma = 0.5});
  for (int i = 0; i < 6; ++i) {
    p.grad()(0) = 1.0;
    opt.step();
    sched.step();
  }
  // With gradient 1 every step p falls by the lr: 0.1 + 0.1 + 0.05 + 0.05 + 0.025 + 0.025.
  CHECK(p.value()(0) == near(1.0 - 0.35));
  CHECK(opt.lr() == near(0.0125));
}

TEST_CASE("LR scheduler with SGD: OneCycleLR cycles SGD's momentum") {
  auto p = xg::tensor<double>({0.0}, true);
  SGD<double> opt({p}, {.lr = 0.1, .momentum = 0.9});
  // 10 steps, pct_start 0.3: the lr peaks and the momentum bottoms at step
  // 0.3 * 10 - 1 = 2.
  OneCycleLR sched(opt, {.max_lr = 1.0, .total_steps = 10});
  CHECK(opt.lr() == near(0.04));
  CHECK(*opt.momentum() == near(0.95));
  // Gradient 1: the buffer b = m * b + 1 and p -= lr * b with each step's m and lr.
  double b = 0.0, expected = 0.0;
  for (int i = 0; i < 2; ++i) {
    const double m = *opt.momentum(), lr = opt.lr();
    b = i == 0 ? 1.0 : m * b + 1.0;
    expected -= lr * b;
    p.grad()(0) = 1.0;
    opt.step();
    sched.step();
  }
  CHECK(p.value()(0) == near(expected));
  CHECK(opt.lr() == near(1.0));
  CHECK(*opt.momentum() == near(0.85));
  CHECK(opt.options().momentum == near(0.85));
}

TEST_CASE("LR scheduler with SGD: the schedule's state saved inside the optimizer's resumes the run") {
  auto make_param = [] { return xg::tensor<double>({2.0, -1.0}, true); };
  auto p = make_param();
  SGD<double> opt({p}, {.lr = 0.1, .momentum = 0.5});
  CyclicLR sched(opt, {.base_lr = 0.01, .max_lr = 0.2, .step_size_up = 3});
  const auto train_step = [](xg::Tensor64& param, SGD<double>& o, LRScheduler& s) {
    param.grad() = param.value();  // the gradient of |p|^2 / 2
    o.step();
    s.step();
  };
  for (int i = 0; i < 7; ++i) train_step(p, opt, sched);

  xg::io::Archive checkpoint = opt.state_dict();
  sched.save_state(checkpoint, "lr_scheduler.");
  const auto restored = xg::io::Archive::from_bytes(checkpoint.to_bytes("optimizer"), "optimizer");

  auto q = make_param();
  q.value() = p.value();
  SGD<double> resumed_opt({q}, {.lr = 0.1, .momentum = 0.5});
  CyclicLR resumed(resumed_opt, {.base_lr = 0.01, .max_lr = 0.2, .step_size_up = 3});
  resumed_opt.load_state_dict(restored);
  resumed.load_state(restored, "lr_scheduler.");
  CHECK(resumed.last_epoch() == 7);
  for (int i = 0; i < 10; ++i) {
    train_step(p, opt, sched);
    train_step(q, resumed_opt, resumed);
    CHECK(resumed_opt.lr() == opt.lr());
    CHECK(*resumed_opt.momentum() == *opt.momentum());
    CHECK(q.value()(0) == p.value()(0));
    CHECK(q.value()(1) == p.value()(1));
  }
}
