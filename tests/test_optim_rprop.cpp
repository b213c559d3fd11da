// Rprop (torch.optim.Rprop): its first steps worked by hand, option
// validation, bit-identical resume, and exact row-sparse updates.

#include <stdexcept>
#include <vector>

#include <doctest/doctest.h>

#include <xgrad/optim/optim.hpp>
#include <xgrad/xgrad.hpp>

#include "exception_message.hpp"
#include "optim_test_support.hpp"

using xg::optim::Rprop;
using xg::testing::check_quadratic_path;

// On f = ½θ1² + 2θ2² from (1, −0.5), g = (θ1, 4θ2); Δ starts at lr:
//   η ← η+ if g·prev > 0, η− if < 0, else 1;  Δ ← clamp(Δη, Δmin, Δmax)
//   g ← 0 where g·prev < 0;  θ ← θ − sign(g)·Δ;  prev ← g
TEST_CASE("Rprop: the first steps equal its algorithm worked by hand") {
  SUBCASE("defaults (lr = 0.01): the signs never flip, Δ grows by 1.2") {
    // t=1: g=(1, -2)        Δ=0.01    θ=(0.99, -0.49)
    // t=2: g=(0.99, -1.96)  Δ=0.012   θ=(0.978, -0.478)
    // t=3: g=(0.978,-1.912) Δ=0.0144  θ=(0.9636, -0.4636)
    check_quadratic_path<Rprop>(xg::optim::RpropOptions{}, {{0.99, -0.49}, {0.978, -0.478}, {0.9636, -0.4636}});
  }
  SUBCASE("a sign flip halves Δ, takes no step and is not counted again") {
    // lr = 1: t=1: g=(1, -2)  Δ=(1, 1)  θ=(0, 0.5)
    // t=2: g=(0, 2): θ1: g·prev = 0, η=1, sign(0)=0 → stays; θ2: g·prev = −4 < 0,
    //      Δ2 = 0.5, g2 ← 0, no step; prev=(0, 0)              θ=(0, 0.5)
    // t=3: g=(0, 2): θ2: g·prev = 0, η=1, Δ2=0.5, θ2 = 0.5 − 0.5 θ=(0, 0)
    check_quadratic_path<Rprop>(xg::optim::RpropOptions{.lr = 1}, {{0, 0.5}, {0, 0.5}, {0, 0}});
  }
  SUBCASE("step_sizes clamp Δ, the first step included") {
    // lr = 1, Δmax = 0.6: t=1: Δ = min(1·1, 0.6) = 0.6          θ=(0.4, 0.1)
    // t=2: g=(0.4, 0.4): θ1 same sign, Δ1 = min(0.72, 0.6) = 0.6 → θ1 = −0.2;
    //      θ2 flips: Δ2 = 0.3, no step                          θ=(−0.2, 0.1)
    // t=3: g=(−0.2, 0.4): θ1 flips: Δ1 = 0.3, no step; θ2: prev 0, Δ2 = 0.3,
    //      θ2 = 0.1 − 0.3                                       θ=(−0.2, −0.2)
    check_quadratic_path<Rprop>(xg::optim::RpropOptions{.lr = 1, .step_sizes = {1e-6, 0.6}},
                                {{0.4, 0.1}, {-0.2, 0.1}, {-0.2, -0.2}});
  }
  SUBCASE("etas") {
    // η+ = 2: Δ = 0.01, 0.02, 0.04: θ=(0.99, -0.49), (0.97, -0.47), (0.93, -0.43)
    check_quadratic_path<Rprop>(xg::optim::RpropOptions{.etas = {0.25, 2}},
                                {{0.99, -0.49}, {0.97, -0.47}, {0.93, -0.43}});
  }
  SUBCASE("maximize climbs") {
    // g ← −∇f: Δ = 0.01, 0.012, 0.0144 away from the minimum
    check_quadratic_path<Rprop>(xg::optim::RpropOptions{.maximize = true},
                                {{1.01, -0.51}, {1.022, -0.522}, {1.0364, -0.5364}});
  }
}

TEST_CASE("Rprop: invalid options are refused naming the option and its value") {
  auto w = xg::zeros<double>({2}, true);
  using xg::testing::contains;
  using xg::testing::message_of;
  CHECK(contains(message_of<std::invalid_argument>([&] {
                   Rprop<double>({w}, {.etas = {1.5, 2}});
                 }),
                 "Rprop: invalid etas = (1.5, 2) (must be 0 < etaminus < 1 < etaplus)"));
  CHECK(contains(message_of<std::invalid_argument>([&] {
                   Rprop<double>({w}, {.etas = {0.5, 1}});
                 }),
                 "Rprop: invalid etas = (0.5, 1)"));
  CHECK(contains(message_of<std::invalid_argument>([&] {
                   Rprop<double>({w}, {.etas = {0, 1.2}});
                 }),
                 "Rprop: invalid etas[0] = 0 (must be > 0)"));
  CHECK(contains(message_of<std::invalid_argument>([&] {
                   Rprop<double>({w}, {.step_sizes = {1, 0.5}});
                 }),
                 "Rprop: invalid step_sizes = (1, 0.5) (the minimum must not exceed the maximum)"));
  CHECK(contains(message_of<std::invalid_argument>([&] { Rprop<double>({w}, {.lr = -1}); }),
                 "Rprop: invalid lr = -1 (must be >= 0)"));
}

TEST_CASE("Rprop: training resumed from a checkpoint continues bit-identically") {
  xg::testing::check_resume<Rprop<float>>({.lr = 0.05});
  xg::testing::check_resume<Rprop<float>>({.lr = 0.05, .etas = {0.3, 1.5}, .step_sizes = {1e-3, 0.2}});
}

TEST_CASE("Rprop: row-sparse steps are exact: 60 steps equal the dense run bit for bit") {
  using xg::testing::train_rows;
  for (bool maximize : {false, true}) {
    const xg::optim::RpropOptions o{.lr = 0.05, .maximize = maximize};
    CHECK(train_rows<Rprop, double>(o, true) == train_rows<Rprop, double>(o, false));
    CHECK(train_rows<Rprop, float>(o, true) == train_rows<Rprop, float>(o, false));
  }
  CHECK_FALSE(train_rows<Rprop, double>(xg::optim::RpropOptions{.lr = 0.05}, true) ==
              xg::full<double>({10, 3}, 0.2).value());
}

TEST_CASE("Rprop: a saved negative step size is refused on load, and nothing changes") {
  auto w = xg::tensor<double>(xg::Array<double>{1.0, -2.0}, true);
  Rprop<double> optimizer(xg::NamedTensors<double>{{"w", w}});
  w.grad() = xg::Array<double>{1.0, 1.0};
  optimizer.step();
  auto state = optimizer.state_dict();
  state.put("state.w.step_size", xg::Array<double>{0.01, -0.5});
  CHECK(xg::testing::contains(xg::testing::message_of<std::invalid_argument>([&] { optimizer.load_state_dict(state); }),
                              "the saved 'step_size' of parameter 'w' holds -0.5 at flat index 1"));
  CHECK(optimizer.state(w, "step_size")(1) == 0.01);
}
