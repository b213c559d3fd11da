// Gradient clipping: xg::nn::utils::clip_grad_norm_ and clip_grad_value_.
// The gradients (3, 4) and (12) have 2-norm √(9 + 16 + 144) = 13, 1-norm 19,
// ∞-norm 12 and 3-norm ∛(27 + 64 + 1728) = ∛1819.

#include <cmath>
#include <limits>
#include <stdexcept>
#include <vector>

#include <doctest/doctest.h>

#include <xgrad/nn/utils/clip_grad.hpp>
#include <xgrad/xgrad.hpp>

namespace {

template <class Scalar = double>
std::vector<xg::BasicTensor<Scalar>> gradients_3_4_12() {
  auto a = xg::zeros<Scalar>({2}, true), b = xg::zeros<Scalar>({1}, true);
  a.grad() = xg::Array<Scalar>{3, 4};
  b.grad() = xg::Array<Scalar>{12};
  return {a, b};
}

}  // namespace

using xg::nn::utils::clip_grad_norm_;
using xg::nn::utils::clip_grad_value_;

TEST_CASE("clip_grad_norm_: scales the gradients to max_norm and returns the norm before scaling") {
  auto params = gradients_3_4_12();
  CHECK(clip_grad_norm_(params, 6.5) == doctest::Approx(13.0).epsilon(1e-15));
  // Factor 6.5 / (13 + 1e-6), as PyTorch adds 1e-6 to the norm.
  const double factor = 6.5 / (13 + 1e-6);
  CHECK(params[0].grad()(0) == doctest::Approx(3 * factor).epsilon(1e-15));
  CHECK(params[0].grad()(1) == doctest::Approx(4 * factor).epsilon(1e-15));
  CHECK(params[1].grad()(0) == doctest::Approx(12 * factor).epsilon(1e-15));
}

TEST_CASE("clip_grad_norm_: leaves gradients below max_norm unchanged") {
  auto params = gradients_3_4_12();
  CHECK(clip_grad_norm_(params, 13.5) == doctest::Approx(13.0));
  CHECK(params[0].grad() == xg::Array<double>{3, 4});
  CHECK(params[1].grad() == xg::Array<double>{12});
}

TEST_CASE("clip_grad_norm_: the infinity, 1- and 3-norms") {
  const double inf = std::numeric_limits<double>::infinity();
  auto params = gradients_3_4_12();
  CHECK(clip_grad_norm_(params, 6.0, inf) == doctest::Approx(12.0));
  CHECK(params[1].grad()(0) == doctest::Approx(12 * 6 / (12 + 1e-6)));
  params = gradients_3_4_12();
  CHECK(clip_grad_norm_(params, 100.0, 1.0) == doctest::Approx(19.0));
  params = gradients_3_4_12();
  CHECK(clip_grad_norm_(params, 100.0, 3.0) == doctest::Approx(std::cbrt(1819.0)));
}

TEST_CASE("clip_grad_norm_: float gradients, and parameters without a gradient are skipped") {
  auto params = gradients_3_4_12<float>();
  params.push_back(xg::ones({4}, true));  // no gradient
  CHECK(clip_grad_norm_(params, 1.3) == doctest::Approx(13.0));
  CHECK(params[0].grad()(1) == doctest::Approx(0.4).epsilon(1e-6));
  CHECK_FALSE(params[2].has_grad());
}

TEST_CASE("clip_grad_norm_: a non-finite norm spreads, or throws with error_if_nonfinite") {
  auto params = gradients_3_4_12();
  params[0].grad()(0) = std::numeric_limits<double>::quiet_NaN();
  CHECK_THROWS_WITH_AS(clip_grad_norm_(params, 1.0, 2.0, true),
                       doctest::Contains("clip_grad_norm_: the total norm of the gradients is nan"),
                       std::runtime_error);
  CHECK(params[1].grad()(0) == 12);  // nothing changed
  CHECK(std::isnan(clip_grad_norm_(params, 1.0)));
  CHECK(std::isnan(params[1].grad()(0)));  // as PyTorch does without the check
}

TEST_CASE("clip_grad_norm_: the norm of float64 gradients of 1e300 or 1e-200 is finite and exact (scaled)") {
  // (3, 4) * 1e300 has norm 5e300: squaring 3e300 overflows a double, and
  // the gradients were all set to 0 by max_norm / Inf.
  auto huge = xg::zeros<double>({2}, true);
  huge.grad() = xg::Array<double>{3e300, 4e300};
  CHECK(clip_grad_norm_(std::vector{huge}, 1.0) == doctest::Approx(5e300).epsilon(1e-14));
  // Factor 1 / (5e300 + 1e-6) = 2e-301.
  CHECK(huge.grad()(0) == doctest::Approx(0.6).epsilon(1e-14));
  CHECK(huge.grad()(1) == doctest::Approx(0.8).epsilon(1e-14));
  // The 1- and 3-norms of (3, 4, 12) * 1e300: 19e300 and cbrt(1819) * 1e300.
  auto params = gradients_3_4_12();
  for (auto& p : params) p.grad() *= 1e300;
  CHECK(clip_grad_norm_(params, 1e302, 1.0) == doctest::Approx(19e300).epsilon(1e-14));  // below max_norm: unchanged
  CHECK(clip_grad_norm_(params, 1e302, 3.0) == doctest::Approx(std::cbrt(1819.0) * 1e300).epsilon(1e-14));
  // (3, 4) * 1e-200: the squares underflow to 0, the norm is 5e-200.
  auto tiny = xg::zeros<double>({2}, true);
  tiny.grad() = xg::Array<double>{3e-200, -4e-200};
  const double tiny_norm = clip_grad_norm_(std::vector{tiny}, 1.0);
  CHECK(std::abs(tiny_norm - 5e-200) <= 1e-14 * 5e-200);  // relative: Approx would pass 0 here
  CHECK(tiny.grad()(1) == -4e-200);                       // below max_norm: unchanged
}

TEST_CASE("clip_grad_norm_: an infinite gradient gives an infinite norm; error_if_nonfinite (default false) throws") {
  auto params = gradients_3_4_12();
  params[1].grad()(0) = std::numeric_limits<double>::infinity();
  CHECK_THROWS_WITH_AS(clip_grad_norm_(params, 1.0, 2.0, true), doctest::Contains("is inf"), std::runtime_error);
  CHECK(params[0].grad()(0) == 3);  // nothing changed
  CHECK(std::isinf(clip_grad_norm_(params, 1.0)));
}

TEST_CASE("clip_grad_norm_ and clip_grad_value_: invalid arguments") {
  auto params = gradients_3_4_12();
  CHECK_THROWS_WITH_AS(clip_grad_norm_(params, -1.0), doctest::Contains("max_norm must be >= 0, got -1"),
                       std::invalid_argument);
  CHECK_THROWS_WITH_AS(clip_grad_norm_(params, 1.0, 0.0), doctest::Contains("norm_type must be > 0 or inf"),
                       std::invalid_argument);
  CHECK_THROWS_WITH_AS(clip_grad_value_(params, -0.5), doctest::Contains("clip_value must be >= 0, got -0.5"),
                       std::invalid_argument);
  CHECK(params[1].grad()(0) == 12);
}

TEST_CASE("clip_grad_value_: limits every gradient element to [-clip_value, clip_value]") {
  auto params = gradients_3_4_12();
  params[0].grad()(0) = -7;
  clip_grad_value_(params, 3.5);
  CHECK(params[0].grad() == xg::Array<double>{-3.5, 3.5});
  CHECK(params[1].grad() == xg::Array<double>{3.5});
}
