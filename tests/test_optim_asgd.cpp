// ASGD (torch.optim.ASGD): its first steps from the formula, the average ax
// of the iterates, option validation and bit-identical resume.

#include <algorithm>
#include <cmath>
#include <stdexcept>
#include <vector>

#include <doctest/doctest.h>

#include <xgrad/optim/optim.hpp>
#include <xgrad/xgrad.hpp>

#include "exception_message.hpp"
#include "optim_test_support.hpp"

using xg::optim::ASGD;
using xg::optim::ASGDOptions;
using xg::testing::Point;

namespace {

// The formula of torch.optim.ASGD's single-tensor update, one coordinate at
// a time, on g = (θ1, 4θ2) (f = ½θ1² + 2θ2²) from (1, −0.5):
//   g ← ±g + λ_wd·θ;  θ ← θ(1 − λη) − ηg
//   η ← lr / (1 + λ·lr·t)^α;  μ ← 1/max(1, t − t0)
std::vector<Point> asgd_by_formula(const ASGDOptions& o, int steps, std::vector<Point>* averages = nullptr) {
  Point theta{1, -0.5}, ax{0, 0};
  const Point curvature{1, 4};
  double eta = o.lr, mu = 1;
  std::vector<Point> path;
  for (int t = 1; t <= steps; ++t) {
    for (int i = 0; i < 2; ++i) {
      const double g = (o.maximize ? -1 : 1) * curvature[i] * theta[i] + o.weight_decay * theta[i];
      theta[i] = theta[i] * (1 - o.lambd * eta) - eta * g;
      ax[i] = mu == 1 ? theta[i] : ax[i] + mu * (theta[i] - ax[i]);
    }
    eta = o.lr / std::pow(1 + o.lambd * o.lr * t, o.alpha);
    mu = 1 / std::max(1.0, t - o.t0);
    path.push_back(theta);
    if (averages) averages->push_back(ax);
  }
  return path;
}

}  // namespace

TEST_CASE("ASGD: the first steps equal its formula") {
  SUBCASE("defaults") {
    // t=1: η=0.01: θ1 = 1·(1 − 1e-4·0.01) − 0.01·1 = 0.989999,
    //              θ2 = −0.5·(1 − 1e-6) + 0.01·2 = −0.4799995
    const auto expected = asgd_by_formula({}, 4);
    CHECK(expected[0][0] == doctest::Approx(0.989999).epsilon(1e-12));
    CHECK(expected[0][1] == doctest::Approx(-0.4799995).epsilon(1e-12));
    xg::testing::check_quadratic_path<ASGD>(ASGDOptions{}, expected);
  }
  SUBCASE("a large lambd and alpha: η decays visibly") {
    const ASGDOptions o{.lr = 0.1, .lambd = 0.5, .alpha = 1.5};
    xg::testing::check_quadratic_path<ASGD>(o, asgd_by_formula(o, 5));
  }
  SUBCASE("weight_decay and maximize") {
    const ASGDOptions o{.lr = 0.05, .lambd = 0.1, .weight_decay = 0.3, .maximize = true};
    xg::testing::check_quadratic_path<ASGD>(o, asgd_by_formula(o, 4));
  }
}

TEST_CASE("ASGD: from t0 on, ax is the running mean of the iterates") {
  // The μ of step t is 1/max(1, t − 1 − t0); with t0 = 0 it is 1 at steps 1
  // and 2, then 1/2, 1/3, ...: ax after step t ≥ 2 is the mean of θ_2 ... θ_t
  // (the copy of step 2 replaces θ_1).
  const ASGDOptions o{.lr = 0.1, .lambd = 0.01, .t0 = 0};
  auto theta = xg::tensor<double>(xg::Array<double>{1.0, -0.5}, true);
  const auto half_curvature = xg::tensor<double>(xg::Array<double>{0.5, 2.0});
  ASGD<double> optimizer({theta}, o);
  std::vector<Point> iterates;
  for (int t = 1; t <= 6; ++t) {
    optimizer.zero_grad();
    xg::sum(half_curvature * theta * theta).backward();
    optimizer.step();
    iterates.push_back({theta.value()(0), theta.value()(1)});
    if (t < 2) continue;
    for (int i = 0; i < 2; ++i) {
      double mean = 0;
      for (int k = 1; k < t; ++k) mean += iterates[k][i];
      mean /= t - 1;
      CHECK(optimizer.state(theta, "ax")(i) == doctest::Approx(mean).epsilon(1e-12));
    }
  }
  std::vector<Point> averages;
  asgd_by_formula(o, 6, &averages);
  CHECK(optimizer.state(theta, "ax")(0) == doctest::Approx(averages.back()[0]).epsilon(1e-12));
}

TEST_CASE("ASGD: invalid options are refused naming the option and its value") {
  auto w = xg::zeros<double>({2}, true);
  using xg::testing::contains;
  using xg::testing::message_of;
  CHECK(contains(message_of<std::invalid_argument>([&] { ASGD<double>({w}, {.lambd = -1}); }),
                 "ASGD: invalid lambd = -1 (must be >= 0)"));
  CHECK(contains(message_of<std::invalid_argument>([&] { ASGD<double>({w}, {.weight_decay = -0.5}); }),
                 "ASGD: invalid weight_decay = -0.5 (must be >= 0)"));
  CHECK(contains(message_of<std::invalid_argument>([&] { ASGD<double>({w}, {.t0 = NAN}); }), "ASGD: invalid t0 = nan"));
}

TEST_CASE("ASGD: training resumed from a checkpoint continues bit-identically") {
  xg::testing::check_resume<ASGD<float>>({.lr = 0.01});
  xg::testing::check_resume<ASGD<float>>({.lr = 0.01, .lambd = 0.1, .t0 = 3, .weight_decay = 0.01});
}

TEST_CASE("ASGD: a row-sparse gradient is made dense: the same steps as the dense run") {
  using xg::testing::train_rows;
  const xg::optim::ASGDOptions o{.lr = 0.01, .lambd = 0.1};
  CHECK(train_rows<ASGD, double>(o, true) == train_rows<ASGD, double>(o, false));
  CHECK(train_rows<ASGD, float>(o, true) == train_rows<ASGD, float>(o, false));
  CHECK_FALSE(train_rows<ASGD, double>(o, true) == xg::full<double>({10, 3}, 0.2).value());
}
