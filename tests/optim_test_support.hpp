#pragma once
// What the tests of Rprop, ASGD, Muon, Adafactor and LBFGS share: the path
// of an optimizer on a two-coordinate quadratic and on a weighted quadratic
// of a matrix, against values the test computes, and the bit-identical
// resume check on a small least-squares model, trained through
// step(closure) so that LBFGS runs it too.

#include <array>
#include <cmath>
#include <utility>
#include <vector>

#include <doctest/doctest.h>

#include <xgrad/optim/optim.hpp>
#include <xgrad/xgrad.hpp>

namespace xg::testing {

using Point = std::array<double, 2>;

// θ after each of `steps` steps on f(θ) = ½θ1² + 2θ2² from θ = (1, −0.5),
// whose gradient is g = (θ1, 4θ2).
template <template <class> class Optimizer, class Scalar, class Options>
std::vector<Point> quadratic_path(const Options& options, int steps) {
  auto theta = tensor<Scalar>(Array<Scalar>{1.0, -0.5}, true);
  const auto half_curvature = tensor<Scalar>(Array<Scalar>{0.5, 2.0});
  Optimizer<Scalar> optimizer(std::vector{theta}, options);
  std::vector<Point> path;
  for (int t = 0; t < steps; ++t) {
    optimizer.zero_grad();
    sum(half_curvature * theta * theta).backward();
    optimizer.step();
    path.push_back({static_cast<double>(theta.value()(0)), static_cast<double>(theta.value()(1))});
  }
  return path;
}

// The optimizer's path on the quadratic equals `expected`, to 1e-6 in
// float64 and 1e-5 in float32.
template <template <class> class Optimizer, class Options>
void check_quadratic_path(const Options& options, const std::vector<Point>& expected) {
  const int steps = static_cast<int>(expected.size());
  const auto in_double = quadratic_path<Optimizer, double>(options, steps);
  const auto in_float = quadratic_path<Optimizer, float>(options, steps);
  for (int t = 0; t < steps; ++t)
    for (int i = 0; i < 2; ++i) {
      CHECK_MESSAGE(std::abs(in_double[t][i] - expected[t][i]) <= 1e-6, "θ" << i + 1 << " after step " << t + 1
                                                                            << " is " << in_double[t][i]
                                                                            << ", expected " << expected[t][i]);
      CHECK_MESSAGE(std::abs(in_float[t][i] - expected[t][i]) <= 1e-5, "float θ" << i + 1 << " after step " << t + 1
                                                                                 << " is " << in_float[t][i]
                                                                                 << ", expected " << expected[t][i]);
    }
}

using Matrix = std::vector<std::vector<double>>;

// The matrix as an array of that shape, or of one dimension (its values in
// row order) with `as_vector`.
template <class Scalar>
Array<Scalar> from_matrix(const Matrix& m, bool as_vector = false) {
  auto a = as_vector ? Array<Scalar>::from_shape({m.size() * m[0].size()})
                     : Array<Scalar>::from_shape({m.size(), m[0].size()});
  for (std::size_t i = 0; i < m.size(); ++i)
    for (std::size_t j = 0; j < m[0].size(); ++j) a.data()[i * m[0].size() + j] = static_cast<Scalar>(m[i][j]);
  return a;
}

// The optimizer's steps on f(W) = ½·sum(C ⊙ W ⊙ W) (g = C ⊙ W) from `start`
// equal `expected` (W after each step) to `tolerance`.
template <template <class> class Optimizer, class Scalar, class Options>
void check_weighted_quadratic_path(const Options& options, const Matrix& start, const Matrix& c,
                                   const std::vector<Matrix>& expected, double tolerance, bool as_vector = false) {
  auto w = tensor<Scalar>(from_matrix<Scalar>(start, as_vector), true);
  const auto curvature = tensor<Scalar>(from_matrix<Scalar>(c, as_vector));
  Optimizer<Scalar> optimizer({w}, options);
  const std::size_t cols = start[0].size();
  for (std::size_t t = 0; t < expected.size(); ++t) {
    optimizer.zero_grad();
    (Scalar(0.5) * sum(curvature * w * w)).backward();
    optimizer.step();
    for (std::size_t i = 0; i < start.size(); ++i)
      for (std::size_t j = 0; j < cols; ++j)
        CHECK_MESSAGE(std::abs(w.value().data()[i * cols + j] - expected[t][i][j]) <= tolerance,
                      "W(" << i << ", " << j << ") after step " << t + 1 << " is " << w.value().data()[i * cols + j]
                           << ", expected " << expected[t][i][j] << " (" << (sizeof(Scalar) == 8 ? "double" : "float")
                           << ")");
  }
}

// W after 60 steps of loss = sum((x·W − y)²) on a 10×3 W from 0.2, x a 1×10
// row holding two words per step, through sparse_matmul (a row-sparse
// gradient of W), its gradient left row-sparse or made dense (W.grad())
// before the step; by step(closure), for LBFGS.
template <template <class> class Optimizer, class S, class Options>
Array<S> train_rows(const Options& options, bool sparse) {
  auto w = full<S>({10, 3}, S(0.2), true);
  const auto y = tensor<S>(Array<S>{{1.0, -0.5, 0.25}});
  Optimizer<S> optimizer({w}, options);
  for (std::size_t t = 0; t < 60; ++t) {
    std::vector<std::size_t> words{t % 10, (3 * t + 1) % 10};
    if (words[0] > words[1]) std::swap(words[0], words[1]);
    if (words[0] == words[1]) words.pop_back();
    CsrMatrix<S> x{
        .rows = 1, .cols = 10, .row_ptr = {0, words.size()}, .col = words, .val = std::vector<S>(words.size(), S(1.5))};
    optimizer.step([&] {
      auto r = sparse_matmul(x, w) - y;
      optimizer.zero_grad(true);
      auto loss = sum(r * r);
      loss.backward();
      REQUIRE(w.has_sparse_grad());
      // The same gradient either way, so that only the optimizer's handling
      // of it differs (a dense matmul would round its sums differently).
      if (!sparse) w.grad();
      return static_cast<double>(loss.item());
    });
  }
  return w.value();
}

// loss = sum((X·W + b − Y)²) with W of 3×2 and, unless `matrix_only` (Muon
// takes matrices only), b of 2 values.
struct LeastSquares {
  Tensor w, b;
  bool matrix_only;

  LeastSquares(float start, bool matrix_only)
      : w(tensor(Array<float>{{start, -0.25f}, {1.0f, 0.5f}, {-0.75f, start}}, true)),
        b(tensor(Array<float>{0.1f, start}, true)),
        matrix_only(matrix_only) {}

  NamedTensors<float> named_parameters() const {
    if (matrix_only) return {{"w", w}};
    return {{"w", w}, {"b", b}};
  }

  double loss() const {
    static const auto x =
        tensor(Array<float>{{1.0f, 2.0f, 0.5f}, {-1.0f, 0.5f, 1.5f}, {0.25f, -2.0f, 1.0f}, {3.0f, 1.0f, -0.5f}});
    static const auto y = tensor(Array<float>{{1.0f, -1.0f}, {0.5f, 2.0f}, {0.0f, 1.0f}, {-1.0f, 0.25f}});
    auto r = matmul(x, w) - y;
    if (!matrix_only) r = r + b;
    auto loss = sum(r * r);
    loss.backward();
    return loss.item();
  }

  void train_step(optim::OptimizerBase& optimizer) const {
    optimizer.step([&] {
      optimizer.zero_grad();
      return loss();
    });
  }
};

// Eight steps straight through, or five, a checkpoint through bytes, and
// three more in a fresh optimizer built with default options and a model
// started elsewhere: the parameters must agree bit for bit.
template <class Optimizer>
void check_resume(const typename Optimizer::options_type& options, bool matrix_only = false) {
  constexpr int total = 8, stop = 5;
  LeastSquares straight(0.5f, matrix_only);
  Optimizer uninterrupted(straight.named_parameters(), options);
  for (int i = 0; i < total; ++i) straight.train_step(uninterrupted);

  LeastSquares first(0.5f, matrix_only);
  Optimizer stopped(first.named_parameters(), options);
  for (int i = 0; i < stop; ++i) first.train_step(stopped);
  const Array<float> w_saved = first.w.value(), b_saved = first.b.value();
  const std::string bytes = stopped.state_dict().to_bytes("optimizer");

  LeastSquares resumed(-3.0f, matrix_only);
  resumed.w.value() = w_saved;
  resumed.b.value() = b_saved;
  Optimizer continued(resumed.named_parameters());
  continued.load_state_dict(io::Archive::from_bytes(bytes, "optimizer"));
  for (int i = stop; i < total; ++i) resumed.train_step(continued);

  CHECK(resumed.w.value() == straight.w.value());
  if (!matrix_only) CHECK(resumed.b.value() == straight.b.value());
  // The steps after the checkpoint really moved the parameters.
  CHECK_FALSE(w_saved == straight.w.value());
}

}  // namespace xg::testing
