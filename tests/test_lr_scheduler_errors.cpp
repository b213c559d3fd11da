// Bad options and misuse of the schedules throw clear exceptions naming the
// schedule, and leave the optimizer as it was.
#include <doctest/doctest.h>

#include <cmath>
#include <limits>
#include <memory>
#include <stdexcept>

#include <xgrad/core/factories.hpp>
#include <xgrad/optim/adam.hpp>
#include <xgrad/optim/schedulers/schedulers.hpp>
#include <xgrad/optim/sgd.hpp>

#include "test_lr_scheduler_fake_optimizer.hpp"

using namespace xg::optim;

TEST_CASE("LR schedulers: options out of range are refused") {
  FakeOptimizer opt({0.1}, 0.9);
  const auto refused = [](auto make, const char* message) {
    CHECK_THROWS_WITH_AS(make(), doctest::Contains(message), std::invalid_argument);
  };
  refused([&] { StepLR s(opt, {}); }, "StepLR: step_size must be positive, got 0");
  refused([&] { StepLR s(opt, {.step_size = 3, .gamma = 0.0}); }, "StepLR: gamma");
  refused([&] { MultiStepLR s(opt, {.milestones = {3, -1}}); }, "MultiStepLR: milestones");
  refused([&] { ExponentialLR s(opt, {}); }, "ExponentialLR: gamma is required");
  refused([&] { CosineAnnealingLR s(opt, {}); }, "CosineAnnealingLR: T_max");
  refused([&] { CosineAnnealingWarmRestarts s(opt, {.T_0 = 0}); }, "CosineAnnealingWarmRestarts: T_0");
  refused([&] { CosineAnnealingWarmRestarts s(opt, {.T_0 = 5, .T_mult = 0}); }, "T_mult must be at least 1");
  refused([&] { LinearLR s(opt, {.start_factor = 0.0}); }, "LinearLR: start_factor");
  refused([&] { LinearLR s(opt, {.end_factor = 1.5}); }, "LinearLR: end_factor");
  refused([&] { LinearLR s(opt, {.total_iters = 0}); }, "LinearLR: total_iters");
  refused([&] { LambdaLR s(opt, {}); }, "LambdaLR: lr_lambda is required");
  refused([&] { LambdaLR s(opt, {.lr_lambda = std::function<double(long)>{}}); },
          "LambdaLR: lr_lambda of param group 0");
  refused([&] { CyclicLR s(opt, {.max_lr = 0.1}); }, "CyclicLR: base_lr is required");
  refused([&] { CyclicLR s(opt, {.base_lr = 0.01, .max_lr = 0.1, .step_size_up = 0}); }, "CyclicLR: step_size_up");
  refused(
      [&] {
        CyclicLR s(opt, {.base_lr = {0.01, 0.02}, .max_lr = 0.1});
      },
      "CyclicLR: base_lr has 2 values but the optimizer has 1 param groups");
  refused([&] { OneCycleLR s(opt, {.max_lr = 0.1}); },
          "OneCycleLR: needs total_steps, or both epochs and steps_per_epoch");
  refused([&] { OneCycleLR s(opt, {.max_lr = 0.1, .total_steps = 0}); }, "OneCycleLR: total_steps");
  refused([&] { OneCycleLR s(opt, {.max_lr = 0.1, .epochs = 3, .steps_per_epoch = -1}); }, "steps_per_epoch");
  refused([&] { OneCycleLR s(opt, {.max_lr = 0.1, .total_steps = 10, .pct_start = 1.5}); }, "pct_start");
  // pct_start * total_steps = 1 leaves the warm-up phase without steps
  // (PyTorch divides by zero there).
  refused([&] { OneCycleLR s(opt, {.max_lr = 0.1, .total_steps = 10, .pct_start = 0.1}); }, "without steps");
  refused([&] { ReduceLROnPlateau s(opt, {.factor = 1.0}); }, "ReduceLROnPlateau: factor");
  refused([&] { ReduceLROnPlateau s(opt, {.patience = -1}); }, "ReduceLROnPlateau: patience");
  refused([&] { ReduceLROnPlateau s(opt, {.min_lr = -0.1}); }, "ReduceLROnPlateau: min_lr");
  CHECK(opt.lr() == 0.1);
  CHECK(*opt.momentum() == 0.9);
}

TEST_CASE("LR schedulers: cycling momentum needs an optimizer that has one") {
  FakeOptimizer plain({0.1});
  CHECK_THROWS_WITH_AS(CyclicLR(plain, {.base_lr = 0.01, .max_lr = 0.1}), doctest::Contains("cycle_momentum"),
                       std::invalid_argument);
  CHECK_THROWS_WITH_AS(OneCycleLR(plain, {.max_lr = 0.1, .total_steps = 10}), doctest::Contains("cycle_momentum"),
                       std::invalid_argument);
  CHECK(plain.lr() == 0.1);
  CyclicLR cyclic(plain, {.base_lr = 0.01, .max_lr = 0.1, .cycle_momentum = false});
  CHECK(plain.lr() == near(0.01));
  OneCycleLR one_cycle(plain, {.max_lr = 0.1, .total_steps = 10, .cycle_momentum = false});
  CHECK(plain.lr() == near(0.004));
}

TEST_CASE("LR schedulers: SequentialLR checks its schedules and milestones") {
  FakeOptimizer opt({0.1});
  FakeOptimizer other({0.1});
  auto a = std::make_shared<StepLR>(opt, StepLROptions{.step_size = 2});
  auto b = std::make_shared<ExponentialLR>(opt, ExponentialLROptions{.gamma = 0.9});
  auto foreign = std::make_shared<ExponentialLR>(other, ExponentialLROptions{.gamma = 0.9});
  const auto refused = [&](SequentialLROptions options, const char* message) {
    CHECK_THROWS_WITH_AS(SequentialLR(opt, std::move(options)), doctest::Contains(message), std::invalid_argument);
  };
  refused({}, "SequentialLR: needs at least one schedule");
  refused({.schedulers = {a, nullptr}, .milestones = {3}}, "schedule 1 is null");
  refused({.schedulers = {a, foreign}, .milestones = {3}}, "belongs to another optimizer");
  refused({.schedulers = {a, a}, .milestones = {3}}, "are the same");
  refused({.schedulers = {a, b}, .milestones = {}}, "one milestone fewer than schedules");
  refused({.schedulers = {a, b}, .milestones = {0}}, "positive and increasing");
  auto c = std::make_shared<StepLR>(opt, StepLROptions{.step_size = 2});
  refused({.schedulers = {a, b, c}, .milestones = {5, 5}}, "positive and increasing");
}

TEST_CASE("LR schedulers: misuse after construction") {
  FakeOptimizer opt({0.1});
  StepLR sched(opt, {.step_size = 2});
  CHECK_THROWS_WITH_AS(sched.lr_at(-1, 0), doctest::Contains("StepLR::lr_at: epoch must be non-negative"),
                       std::invalid_argument);
  CHECK_THROWS_WITH_AS(sched.lr_at(3, 1), doctest::Contains("group 1 out of range"), std::invalid_argument);

  // A param group added after the schedule was built.
  opt.add_group(0.2);
  CHECK_THROWS_WITH_AS(sched.step(), doctest::Contains("param groups"), std::logic_error);
  CHECK(sched.last_epoch() == 0);

  // A function that yields a non-finite lr.
  FakeOptimizer lambda_opt({0.1});
  LambdaLR lambda(lambda_opt,
                  {.lr_lambda = [](long e) { return e < 3 ? 1.0 : std::numeric_limits<double>::quiet_NaN(); }});
  lambda.step();
  lambda.step();
  CHECK_THROWS_WITH_AS(lambda.step(), doctest::Contains("not finite at epoch 3"), std::domain_error);
  CHECK(lambda_opt.lr() == 0.1);
  CHECK(lambda.last_epoch() == 2);

  FakeOptimizer plateau_opt({0.1});
  ReduceLROnPlateau plateau(plateau_opt, {.patience = 0});
  plateau.step(1.0);
  CHECK_THROWS_WITH_AS(plateau.step(std::nan("")), doctest::Contains("NaN"), std::invalid_argument);
  CHECK(plateau.last_epoch() == 1);
  CHECK(plateau_opt.lr() == 0.1);
}

TEST_CASE("LR schedulers: a group whose lr would be negative changes no group") {
  auto w0 = xg::zeros<float>({2}, true), w1 = xg::zeros<float>({2}, true);
  SGD<float> opt({w0}, {.lr = 1.0});
  opt.add_param_group({w1}, {.lr = 0.1});
  // At epoch 1 of 2: eta_min + (base - eta_min) (1 + cos(pi / 2)) / 2 =
  // -0.5 + 1.5 / 2 = 0.25 for group 0 and -0.5 + 0.6 / 2 = -0.2 for group 1.
  CosineAnnealingLR cosine(opt, {.T_max = 2, .eta_min = -0.5});
  CHECK_THROWS_WITH_AS(cosine.step(),
                       doctest::Contains("CosineAnnealingLR: epoch 1 gives param group 1 the lr -0.2, which the "
                                         "optimizer refuses: SGD"),
                       std::invalid_argument);
  CHECK(opt.lr(0) == 1.0);
  CHECK(opt.lr(1) == near(0.1));
  CHECK(cosine.last_epoch() == 0);

  // CyclicLR starts at base_lr, which is negative for group 1.
  SGD<float> cyclic_opt({w0}, {.lr = 0.5});
  cyclic_opt.add_param_group({w1}, {.lr = 0.5});
  CHECK_THROWS_WITH_AS(CyclicLR(cyclic_opt, {.base_lr = {0.01, -0.01}, .max_lr = 0.1, .cycle_momentum = false}),
                       doctest::Contains("CyclicLR: epoch 0 gives param group 1 the lr -0.01, which the optimizer "
                                         "refuses"),
                       std::invalid_argument);
  CHECK(cyclic_opt.lr(0) == 0.5);
  CHECK(cyclic_opt.lr(1) == 0.5);
}

TEST_CASE("LR schedulers: a momentum the optimizer refuses in a later group puts the earlier groups back") {
  auto w0 = xg::zeros<float>({2}, true), w1 = xg::zeros<float>({2}, true);
  Adam<float> opt({w0}, {.lr = 0.5, .betas = {0.95, 0.999}});
  opt.add_param_group({w1}, {.lr = 0.5, .betas = {0.95, 0.999}});
  // Epoch 0 sets lr = base_lr and beta1 = max_momentum: 1.5 is no beta1.
  CHECK_THROWS_WITH_AS(CyclicLR(opt, {.base_lr = 0.01, .max_lr = 0.1, .max_momentum = {0.9, 1.5}}),
                       doctest::Contains("gives param group 1 the lr 0.01 and momentum 1.5, which the optimizer "
                                         "refuses: Adam: invalid betas[0] = 1.5"),
                       std::invalid_argument);
  for (std::size_t g = 0; g < 2; ++g) {
    CHECK(opt.lr(g) == 0.5);
    CHECK(*opt.momentum(g) == 0.95);
  }
}

TEST_CASE("LR schedulers: CyclicLR refuses a cycle longer than a long") {
  FakeOptimizer opt({0.1});
  const long most = std::numeric_limits<long>::max();
  const std::string expected =
      "CyclicLR: step_size_up + step_size_down must fit a long, got " + std::to_string(most) + " + 1";
  CHECK_THROWS_WITH_AS(
      CyclicLR(opt,
               {.base_lr = 0.01, .max_lr = 0.1, .step_size_up = most, .step_size_down = 1, .cycle_momentum = false}),
      doctest::Contains(expected.c_str()), std::invalid_argument);
  CHECK(opt.lr() == 0.1);
  // The longest cycle that fits still works.
  CyclicLR longest(
      opt, {.base_lr = 0.01, .max_lr = 0.1, .step_size_up = most - 1, .step_size_down = 1, .cycle_momentum = false});
  CHECK(opt.lr() == near(0.01));
}
