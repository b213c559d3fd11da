// The plain schedule functions against Optax's documented formulas and
// examples, worked out by hand.
#include <doctest/doctest.h>

#include <cmath>
#include <numbers>
#include <stdexcept>

#include <xgrad/optim/schedule_functions.hpp>

#include "test_lr_scheduler_fake_optimizer.hpp"

using namespace xg::optim::schedules;

TEST_CASE("schedules: annealing functions run from start to end") {
  CHECK(cosine_annealing(1.0, 0.2, 0.0) == near(1.0));
  CHECK(cosine_annealing(1.0, 0.2, 0.5) == near(0.6));
  CHECK(cosine_annealing(1.0, 0.2, 1.0) == near(0.2));
  CHECK(cosine_annealing(1.0, 0.2, 1.0 / 3) == near(0.2 + 0.8 * 0.75));  // (1 + cos(pi/3)) / 2 = 0.75
  CHECK(linear_annealing(1.0, 0.2, 0.25) == near(0.8));
  CHECK(linear_annealing(1.0, 0.2, 1.0) == near(0.2));
}

TEST_CASE("schedules: constant, linear and polynomial (Optax's docstring example)") {
  CHECK(constant_schedule(5.0)(0) == 5.0);
  CHECK(constant_schedule(5.0)(100) == 5.0);

  const auto linear = linear_schedule(1.0, 0.01, 100);
  CHECK(linear(0) == near(1.0));
  CHECK(linear(50) == near(0.505));
  CHECK(linear(100) == near(0.01));
  CHECK(linear(1000) == near(0.01));

  // init 1, end 0.01, power 2, 100 steps from step 5:
  // (1 - 0.01) * (1 - (t - 5) / 100)^2 + 0.01.
  const auto poly = polynomial_schedule(1.0, 0.01, 2.0, 100, 5);
  CHECK(poly(0) == near(1.0));
  CHECK(poly(5) == near(1.0));
  CHECK(poly(6) == near(0.99 * 0.99 * 0.99 + 0.01));
  CHECK(poly(104) == near(0.99 * 0.0001 + 0.01));
  CHECK(poly(105) == near(0.01));
  CHECK(poly(110) == near(0.01));

  // Optax: transition_steps <= 0 holds init_value.
  CHECK(linear_schedule(0.3, 0.0, 0)(50) == 0.3);
  CHECK_THROWS_AS(polynomial_schedule(1.0, 0.0, 0.0, 10), std::invalid_argument);
  CHECK_THROWS_AS(linear_schedule(1.0, 0.0, 10, -1), std::invalid_argument);
}

TEST_CASE("schedules: exponential_decay, smooth, staircase and bounded") {
  // 1 * 0.5^((t - 5) / 10) from step 5.
  const auto smooth = exponential_decay(1.0, 10, 0.5, 5);
  CHECK(smooth(0) == near(1.0));
  CHECK(smooth(5) == near(1.0));
  CHECK(smooth(10) == near(std::sqrt(0.5)));
  CHECK(smooth(15) == near(0.5));
  CHECK(smooth(25) == near(0.25));

  const auto stairs = exponential_decay(1.0, 10, 0.5, 5, true);
  CHECK(stairs(14) == near(1.0));
  CHECK(stairs(15) == near(0.5));
  CHECK(stairs(34) == near(0.25));

  // end_value is a floor when decaying, a ceiling when growing.
  const auto floored = exponential_decay(1.0, 10, 0.5, 0, false, 0.3);
  CHECK(floored(10) == near(0.5));
  CHECK(floored(30) == near(0.3));
  const auto capped = exponential_decay(1.0, 10, 2.0, 0, false, 3.0);
  CHECK(capped(10) == near(2.0));
  CHECK(capped(20) == near(3.0));

  CHECK_THROWS_WITH_AS(exponential_decay(1.0, 0, 0.5), doctest::Contains("exponential_decay"), std::invalid_argument);
  CHECK_THROWS_AS(exponential_decay(1.0, 10, 0.0), std::invalid_argument);
  CHECK_THROWS_AS(exponential_decay(1.0, 10, 0.5, -2), std::invalid_argument);
}

TEST_CASE("schedules: piecewise_constant_schedule (Optax's docstring example)") {
  const auto sched = piecewise_constant_schedule(1.0, {{100, 0.1}, {200, 0.01}});
  CHECK(sched(50) == near(1.0));
  CHECK(sched(99) == near(1.0));
  CHECK(sched(100) == near(0.1));
  CHECK(sched(150) == near(0.1));
  CHECK(sched(250) == near(0.001));
  CHECK_THROWS_WITH_AS(piecewise_constant_schedule(1.0, {{10, -0.5}}), doctest::Contains("non-negative"),
                       std::invalid_argument);
}

TEST_CASE("schedules: cosine_decay_schedule and warmup_cosine_decay_schedule") {
  // 2 * ((1 - 0.1) * (0.5 * (1 + cos(pi t / 10)))^p + 0.1), t clamped at 10.
  const auto cosine = cosine_decay_schedule(2.0, 10, 0.1);
  CHECK(cosine(0) == near(2.0));
  CHECK(cosine(5) == near(2.0 * (0.9 * 0.5 + 0.1)));
  CHECK(cosine(10) == near(0.2));
  CHECK(cosine(20) == near(0.2));
  CHECK(cosine_decay_schedule(2.0, 10, 0.1, 2.0)(5) == near(2.0 * (0.9 * 0.25 + 0.1)));
  CHECK_THROWS_AS(cosine_decay_schedule(1.0, 0), std::invalid_argument);

  // Linear 0 -> 1 over 10 steps, then cosine 1 -> 0.1 over the remaining 100.
  const auto warm = warmup_cosine_decay_schedule(0.0, 1.0, 10, 110, 0.1);
  CHECK(warm(0) == near(0.0));
  CHECK(warm(5) == near(0.5));
  CHECK(warm(10) == near(1.0));
  CHECK(warm(60) == near(0.1 + 0.9 * 0.5));
  CHECK(warm(110) == near(0.1));
  CHECK(warm(500) == near(0.1));
  CHECK_THROWS_WITH_AS(warmup_cosine_decay_schedule(0.0, 1.0, 10, 10), doctest::Contains("warmup_steps"),
                       std::invalid_argument);
}

TEST_CASE("schedules: join_schedules restarts each schedule at its boundary") {
  const auto joined =
      join_schedules({constant_schedule(1.0), linear_schedule(2.0, 0.0, 4), constant_schedule(7.0)}, {3, 10});
  CHECK(joined(0) == near(1.0));
  CHECK(joined(2) == near(1.0));
  CHECK(joined(3) == near(2.0));
  CHECK(joined(5) == near(1.0));
  CHECK(joined(9) == near(0.0));
  CHECK(joined(10) == near(7.0));
  CHECK_THROWS_AS(join_schedules({constant_schedule(1.0)}, {3}), std::invalid_argument);
  CHECK_THROWS_AS(join_schedules({constant_schedule(1.0), Schedule{}}, {3}), std::invalid_argument);
  CHECK_THROWS_AS(join_schedules({constant_schedule(1.0), constant_schedule(1.0), constant_schedule(1.0)}, {5, 3}),
                  std::invalid_argument);
}
