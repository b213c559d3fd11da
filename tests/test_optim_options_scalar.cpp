// Options valid as doubles but not in float32, in which a float optimizer
// computes: an eps of 1e-300 rounds to 0 (a division by zero, NaN
// parameters), an lr of 1e300 overflows to Inf, a beta of 1 - 1e-10 rounds to
// 1 (Adam's bias correction 1 - beta^t is 0). They are refused naming the
// option, the value and the scalar type; float64 takes them (issue #14, item 12).

#include <doctest/doctest.h>

#include <cmath>
#include <string>

#include <xgrad/xgrad.hpp>

#include "exception_message.hpp"

using xg::testing::message_of;

TEST_CASE("optimizer options: eps, lr and betas are checked in the parameters' scalar type") {
  auto w32 = xg::ones({3}, true);
  auto w64 = xg::ones<double>({3}, true);
  CHECK(message_of<std::invalid_argument>([&] { xg::optim::Adam opt({w32}, {.eps = 1e-300}); }) ==
        "Adam: invalid eps = 1e-300 for float32 parameters (it rounds to 0 in float32, and must be > 0)");
  CHECK(message_of<std::invalid_argument>([&] { xg::optim::Adagrad opt({w32}, {.lr = 1e300}); }) ==
        "Adagrad: invalid lr = 1e+300 for float32 parameters (it overflows float32, whose largest value is "
        "3.4028234663852886e+38)");
  CHECK(message_of<std::invalid_argument>([&] {
          xg::optim::Adam opt({w32}, {.betas = {0.9, 1 - 1e-10}});
        }) ==
        "Adam: invalid betas[1] = 0.9999999999 for float32 parameters (it rounds to 1 in float32, and must be in "
        "[0, 1))");
  // float64 holds all three.
  CHECK_NOTHROW(xg::optim::Adam({w64}, {.eps = 1e-300}));
  CHECK_NOTHROW(xg::optim::Adagrad({w64}, {.lr = 1e300}));
  CHECK_NOTHROW(xg::optim::Adam({w64}, {.betas = {0.9, 1 - 1e-10}}));
  // A representable small eps (a float32 subnormal) is accepted.
  CHECK_NOTHROW(xg::optim::Adam({w32}, {.eps = 1e-40}));
}

TEST_CASE("optimizer options: set_lr (what schedules call) is checked as well, and a refused lr changes nothing") {
  auto w = xg::ones({3}, true);
  xg::optim::SGD opt({w}, {.lr = 0.1});
  CHECK_THROWS_AS(opt.set_lr(1e39), std::invalid_argument);
  CHECK(opt.lr(0) == 0.1);
}

TEST_CASE("optimizer options: a float64 Adagrad with eps = 1e-300 takes a finite step") {
  // The step is lr * g / (sqrt(sum) + eps): for the first coordinate g = 0 and
  // sum = 0, so 0 / (0 + eps), which in float32 would be 0 / 0 = NaN.
  auto w = xg::tensor<double>(xg::Array<double>{1.0, 2.0}, true);
  xg::optim::Adagrad opt({w}, {.lr = 0.1, .eps = 1e-300});
  w.grad() = xg::Array<double>{0.0, 1.0};
  opt.step();
  CHECK(w.value()(0) == 1.0);
  // sum = 1, step = 0.1 * 1 / (1 + 1e-300) = 0.1.
  CHECK(w.value()(1) == doctest::Approx(1.9).epsilon(1e-15));
}
