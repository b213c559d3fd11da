#pragma once
// Checks every optimizer of the second round (Lion, LAMB, Yogi, AdaBelief,
// Ftrl, Shampoo) passes: its first steps against the formula written out in
// the test, and a resume from a checkpoint that continues bit for bit.

#include <array>
#include <cmath>
#include <functional>
#include <string>
#include <vector>

#include <doctest/doctest.h>

#include <xgrad/xgrad.hpp>

namespace xg::testing {

// θ and g on f(θ) = ½θ1² + 2θ2², whose gradient is g = (θ1, 4θ2).
using Pair = std::array<double, 2>;
inline Pair quadratic_gradient(const Pair& theta) { return {theta[0], 4 * theta[1]}; }

// `reference(theta, g, t)` applies step t (1, 2, ...) of the formula to
// theta, keeping its own state: the test's independent, plain double
// version. The optimizer runs the same steps from θ = (1, −0.5) in float64
// (to 1e-6, absolute) and float32 (to 1e-5); `first` is θ after step 1
// worked out by hand, which the reference must give too.
template <template <class> class Optimizer, class Options>
void check_first_steps(const Options& options, std::function<void(Pair&, const Pair&, int)> reference,
                       const Pair& first, int steps = 3) {
  std::vector<Pair> expected;
  Pair theta{1.0, -0.5};
  for (int t = 1; t <= steps; ++t) {
    reference(theta, quadratic_gradient(theta), t);
    expected.push_back(theta);
  }
  CHECK(std::abs(expected[0][0] - first[0]) <= 1e-12);
  CHECK(std::abs(expected[0][1] - first[1]) <= 1e-12);
  auto run = [&](auto zero, double tolerance) {
    using Scalar = decltype(zero);
    auto param = tensor<Scalar>(Array<Scalar>{1.0, -0.5}, true);
    const auto half_curvature = tensor<Scalar>(Array<Scalar>{0.5, 2.0});
    Optimizer<Scalar> optimizer(std::vector{param}, options);
    for (int t = 0; t < steps; ++t) {
      optimizer.zero_grad();
      sum(half_curvature * param * param).backward();
      optimizer.step();
      for (std::size_t i = 0; i < 2; ++i)
        CHECK_MESSAGE(std::abs(param.value()(i) - expected[t][i]) <= tolerance,
                      "θ" << i + 1 << " after step " << t + 1 << " is " << param.value()(i) << ", expected "
                          << expected[t][i] << " (" << (sizeof(Scalar) == 8 ? "double" : "float") << ")");
    }
  };
  run(double{}, 1e-6);
  run(float{}, 1e-5);
}

// Least squares ‖X·W + b − Y‖² with a matrix W (3 × 2) and a vector b (2):
// k steps, a checkpoint through bytes, and m more steps into fresh objects
// equal k + m uninterrupted steps bit for bit.
template <class Optimizer>
void check_resume(const typename Optimizer::options_type& options, int before = 5, int after = 4) {
  using S = typename Optimizer::scalar_type;
  const auto x = tensor<S>(Array<S>{{1.0, 2.0, 0.5}, {-1.0, 0.5, 1.5}, {0.25, -2.0, 1.0}, {3.0, 1.0, -0.5}});
  const auto y = tensor<S>(Array<S>{{1.0, -1.0}, {0.5, 2.0}, {-0.5, 0.0}, {1.5, 1.0}});
  struct Model {
    BasicTensor<S> w, b;
    NamedTensors<S> named() const { return {{"w", w}, {"b", b}}; }
  };
  auto fresh = [] {
    return Model{tensor<S>(Array<S>{{0.5, -0.25}, {1.0, 0.1}, {-0.3, 0.2}}, true),
                 tensor<S>(Array<S>{0.1, -0.1}, true)};
  };
  auto train = [&](Model& m, Optimizer& opt, int steps) {
    for (int i = 0; i < steps; ++i) {
      opt.zero_grad();
      auto r = matmul(x, m.w) + m.b - y;
      sum(r * r).backward();
      opt.step();
    }
  };
  Model straight = fresh();
  Optimizer uninterrupted(straight.named(), options);
  train(straight, uninterrupted, before + after);

  Model first = fresh();
  Optimizer stopped(first.named(), options);
  train(first, stopped, before);
  const std::string bytes = stopped.state_dict().to_bytes("optimizer");
  const Array<S> w_at_stop = first.w.value();

  Model resumed{BasicTensor<S>(Array<S>(first.w.value()), true), BasicTensor<S>(Array<S>(first.b.value()), true)};
  Optimizer continued(resumed.named());
  continued.load_state_dict(io::Archive::from_bytes(bytes, "optimizer"));
  train(resumed, continued, after);

  CHECK(resumed.w.value() == straight.w.value());
  CHECK(resumed.b.value() == straight.b.value());
  CHECK(continued.step_count(resumed.w) == before + after);
  CHECK_FALSE(w_at_stop == straight.w.value());  // the steps after the checkpoint moved W
}

}  // namespace xg::testing

namespace xg::testing {

// Three steps on W (6 × 2) through sparse_matmul, whose gradient is
// row-sparse (rows 1 and 4), against the same steps with that gradient made
// dense first (W.grad()): equal bit for bit, for an optimizer that makes a
// row-sparse gradient dense, or one whose row update is exact.
template <template <class> class Optimizer, class Options>
void check_sparse_matches_dense(const Options& options) {
  const CsrMatrix<double> x{.rows = 2, .cols = 6, .row_ptr = {0, 2, 3}, .col = {1, 4, 4}, .val = {1.0, 2.0, -1.5}};
  const auto weights = tensor<double>(Array<double>{{0.5, -1.0}, {2.0, 0.25}});
  auto run = [&](bool densify) {
    auto w =
        tensor<double>(Array<double>{{0.1, 0.2}, {0.3, -0.4}, {0.5, 0.6}, {-0.7, 0.8}, {0.9, 1.0}, {1.1, -1.2}}, true);
    Optimizer<double> optimizer(std::vector{w}, options);
    for (int t = 0; t < 3; ++t) {
      optimizer.zero_grad(true);
      auto out = sparse_matmul(x, w);
      sum(out * out * weights).backward();
      REQUIRE(w.has_sparse_grad());
      if (densify) w.grad();
      optimizer.step();
    }
    return Array<double>(w.value());
  };
  const Array<double> sparse = run(false), dense = run(true);
  CHECK(sparse == dense);
}

}  // namespace xg::testing
