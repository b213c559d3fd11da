// Published runs of Adagrad and RMSprop, the two placements of ε, the
// property that motivates Adagrad, and RAdam's switch to its rectified step.

#include <cmath>
#include <vector>

#include <doctest/doctest.h>

#include <xgrad/optim/optim.hpp>
#include <xgrad/xgrad.hpp>

namespace {

xg::Tensor64 point(double a, double b) { return xg::tensor<double>(xg::Array<double>{a, b}, true); }

// Runs `steps` steps with the gradient (g0(θ), g1(θ)) written by hand.
template <class Optimizer, class Gradient>
void descend(Optimizer& optimizer, const xg::Tensor64& theta, int steps, Gradient gradient) {
  for (int i = 0; i < steps; ++i) {
    const xg::Array<double>& v = theta.value();
    theta.grad() = gradient(v(0), v(1));
    optimizer.step();
  }
}

}  // namespace

TEST_CASE("Adagrad: the published worked example on sin x + x^2 + cos y + y^2 ends at (0.37767767, 0.63898949)") {
  // lr 0.1, eps 1e-8, 100 steps from (2, 2); the gradient is (cos x + 2x, -sin y + 2y).
  auto theta = point(2, 2);
  xg::optim::Adagrad optimizer(std::vector{theta}, {.lr = 0.1, .eps = 1e-8});
  descend(optimizer, theta, 100, [](double x, double y) {
    return xg::Array<double>{std::cos(x) + 2 * x, -std::sin(y) + 2 * y};
  });
  CHECK(std::abs(theta.value()(0) - 0.37767767) <= 1e-6);
  CHECK(std::abs(theta.value()(1) - 0.63898949) <= 1e-6);
}

// Dive into Deep Learning, §12.7 and §12.8: f(x1, x2) = 0.1 x1^2 + 2 x2^2 from
// (-5, -2), 20 steps of lr 0.4 with eps = 1e-6 inside the square root; the
// book prints the end points to 6 decimals.
TEST_CASE("Adagrad: Dive into Deep Learning's 2-D run ends at (-2.382563, -0.158591)") {
  auto theta = point(-5, -2);
  xg::optim::Adagrad optimizer(std::vector{theta}, {.lr = 0.4, .eps = 1e-6, .eps_inside_sqrt = true});
  descend(optimizer, theta, 20, [](double x1, double x2) { return xg::Array<double>{0.2 * x1, 4 * x2}; });
  CHECK(std::abs(theta.value()(0) - -2.382563) <= 1e-6);
  CHECK(std::abs(theta.value()(1) - -0.158591) <= 1e-6);
}

TEST_CASE("RMSprop: Dive into Deep Learning's 2-D run with gamma 0.9 ends at (-0.010599, 0.000000)") {
  auto theta = point(-5, -2);
  xg::optim::RMSprop optimizer(std::vector{theta}, {.lr = 0.4, .alpha = 0.9, .eps = 1e-6, .eps_inside_sqrt = true});
  descend(optimizer, theta, 20, [](double x1, double x2) { return xg::Array<double>{0.2 * x1, 4 * x2}; });
  CHECK(std::abs(theta.value()(0) - -0.010599) <= 1e-6);
  CHECK(std::abs(theta.value()(1) - 0.0) <= 1e-6);
}

// One step from θ = 0 with gradient 2, lr 1, eps 1: the accumulated square is
// 4, so PyTorch's form steps by 2/(√4 + 1) = 2/3 and D2L's by 2/√(4 + 1) = 2/√5.
TEST_CASE("Adagrad and RMSprop: eps outside the square root (PyTorch) or inside it (D2L)") {
  for (bool inside : {false, true}) {
    const double expected = inside ? -2 / std::sqrt(5.0) : -2.0 / 3.0;
    auto a = point(0, 0), r = point(0, 0);
    xg::optim::Adagrad adagrad(std::vector{a}, {.lr = 1, .eps = 1, .eps_inside_sqrt = inside});
    // alpha = 0 keeps only the last squared gradient: v = 4 as well.
    xg::optim::RMSprop rmsprop(std::vector{r}, {.lr = 1, .alpha = 0, .eps = 1, .eps_inside_sqrt = inside});
    descend(adagrad, a, 1, [](double, double) { return xg::Array<double>{2, 2}; });
    descend(rmsprop, r, 1, [](double, double) { return xg::Array<double>{2, 2}; });
    CAPTURE(inside);
    CHECK(a.value()(0) == doctest::Approx(expected).epsilon(1e-12));
    CHECK(r.value()(0) == doctest::Approx(expected).epsilon(1e-12));
  }
}

// θ = (dense, sparse) under a linear loss: the dense coordinate gets gradient
// 1 at every step, the sparse one only at every 10th. After t steps Adagrad
// has summed s = t and s = t/10 squares, so the sparse coordinate's effective
// learning rate lr/√s is √10 times the dense one's whenever both move.
TEST_CASE("Adagrad: a coordinate that rarely sees a gradient keeps a larger effective learning rate") {
  auto theta = point(0, 0);
  const double lr = 0.1;
  xg::optim::Adagrad optimizer(std::vector{theta}, {.lr = lr});
  for (int t = 1; t <= 100; ++t) {
    const bool sparse_active = t % 10 == 0;
    const xg::Array<double> before = theta.value();
    theta.grad() = xg::Array<double>{1.0, sparse_active ? 1.0 : 0.0};
    optimizer.step();
    const xg::Array<double>& sum = optimizer.state(theta, "sum");
    const double dense_rate = lr / (std::sqrt(sum(0)) + 1e-10);
    const double sparse_rate = lr / (std::sqrt(sum(1)) + 1e-10);
    CHECK(sum(0) == doctest::Approx(t));
    CHECK(sum(1) == doctest::Approx(t / 10));
    if (!sparse_active) continue;
    CAPTURE(t);
    CHECK(sparse_rate > dense_rate);
    CHECK(sparse_rate / dense_rate == doctest::Approx(std::sqrt(10.0)));
    // The parameters moved by exactly those rates times the unit gradient.
    CHECK(before(0) - theta.value()(0) == doctest::Approx(dense_rate));
    CHECK(before(1) - theta.value()(1) == doctest::Approx(sparse_rate));
  }
}

// Constant gradient g = (1, -2), lr 0.1, eps 0.5, default betas: m/(1 - β1^t)
// is g exactly, and ρ_t = ρ∞ - 2tβ2^t/(1 - β2^t) with ρ∞ = 1999 is
// 1, 1.9995, 2.9987, 3.9975, 4.9960, 5.9942 for t = 1..6. Steps 1-5 are plain
// momentum steps θ ← θ - 0.1·g, so θ5 = (-0.5, 1). Step 6 is rectified:
//   r = √((ρ6 - 4)(ρ6 - 2)ρ∞ / ((ρ∞ - 4)(ρ∞ - 2)ρ6)) = 0.0258211128
//   √(1 - β2^6) = 0.0773629109, and √v = |g|·0.0773629109
//   θ6 = θ5 - 0.1·g·r·0.0773629109/(|g|·0.0773629109 + 0.5)
//      = (-0.5003459863, 1.000610209)
TEST_CASE("RAdam: plain momentum steps while rho_t <= 5, the rectified adaptive step from t = 6") {
  auto theta = point(0, 0);
  xg::optim::RAdam optimizer(std::vector{theta}, {.lr = 0.1, .eps = 0.5});
  descend(optimizer, theta, 5, [](double, double) { return xg::Array<double>{1, -2}; });
  CHECK(std::abs(theta.value()(0) - -0.5) <= 1e-12);
  CHECK(std::abs(theta.value()(1) - 1.0) <= 1e-12);
  descend(optimizer, theta, 1, [](double, double) { return xg::Array<double>{1, -2}; });
  CHECK(std::abs(theta.value()(0) - -0.5003459863) <= 1e-9);
  CHECK(std::abs(theta.value()(1) - 1.000610209) <= 1e-9);
}
