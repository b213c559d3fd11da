// Adafactor (torch.optim.Adafactor, PyTorch 2.5+): the first steps from its
// formula for every option, on a matrix (factored second moment) and on a
// vector (full); the factored moment of a rank-one g² equals the full one;
// the state's shapes; option validation and bit-identical resume.

#include <algorithm>
#include <cmath>
#include <limits>
#include <stdexcept>
#include <vector>

#include <doctest/doctest.h>

#include <xgrad/optim/optim.hpp>
#include <xgrad/xgrad.hpp>

#include "exception_message.hpp"
#include "optim_test_support.hpp"

using xg::optim::Adafactor;
using xg::optim::AdafactorOptions;

namespace {

using xg::testing::Matrix;

double rms(const Matrix& a) {
  double squares = 0, count = 0;
  for (const auto& row : a)
    for (double v : row) squares += v * v, ++count;
  return std::sqrt(squares / count);
}

// `steps` Adafactor steps on f(W) = ½·sum(C ⊙ W ⊙ W), g = C ⊙ W, from the
// formula of torch.optim.Adafactor; W of one row is a vector (full second
// moment), otherwise a matrix (factored). eps1 is the float64 epsilon when
// unset, as the runs it is compared with are in float64.
std::vector<Matrix> adafactor_by_formula(const AdafactorOptions& o, Matrix w, const Matrix& c, int steps) {
  const std::size_t n = w.size(), m = w[0].size();
  const bool vector = n == 1;
  const double eps1 = o.eps.eps1.value_or(std::numeric_limits<double>::epsilon());
  std::vector<double> row_var(n, 0.0), col_var(m, 0.0), variance(m, 0.0);
  std::vector<Matrix> path;
  for (int t = 1; t <= steps; ++t) {
    const double w2 = std::pow(t, o.beta2_decay);
    const double rho = std::min(o.lr, 1 / std::sqrt(t));
    const double alpha = std::max(o.eps.eps2, rms(w)) * rho;
    Matrix g = w, u = w;
    for (std::size_t i = 0; i < n; ++i)
      for (std::size_t j = 0; j < m; ++j) {
        g[i][j] = (o.maximize ? -1 : 1) * c[i][j] * w[i][j];
        w[i][j] *= 1 - o.lr * o.weight_decay;
      }
    if (vector) {
      for (std::size_t j = 0; j < m; ++j) {
        variance[j] += w2 * (g[0][j] * g[0][j] - variance[j]);
        u[0][j] = g[0][j] / std::sqrt(std::max(variance[j], eps1 * eps1));
      }
    } else {
      double row_mean_sum = 0;
      for (std::size_t i = 0; i < n; ++i) {
        double mean = 0;
        for (std::size_t j = 0; j < m; ++j) mean += g[i][j] * g[i][j] / static_cast<double>(m);
        row_var[i] += w2 * (mean - row_var[i]);
        row_mean_sum += row_var[i];
      }
      for (std::size_t j = 0; j < m; ++j) {
        double mean = 0;
        for (std::size_t i = 0; i < n; ++i) mean += g[i][j] * g[i][j] / static_cast<double>(n);
        col_var[j] += w2 * (mean - col_var[j]);
      }
      const double row_var_mean = std::max(row_mean_sum / static_cast<double>(n), eps1);
      for (std::size_t i = 0; i < n; ++i)
        for (std::size_t j = 0; j < m; ++j)
          u[i][j] = g[i][j] / std::sqrt(std::max(row_var[i] * col_var[j] / row_var_mean, eps1 * eps1));
    }
    const double scale = alpha / std::max(1.0, rms(u) / o.d);
    for (std::size_t i = 0; i < n; ++i)
      for (std::size_t j = 0; j < m; ++j) w[i][j] -= scale * u[i][j];
    path.push_back(w);
  }
  return path;
}

// A matrix of one row stands for a vector (full second moment).
template <class Scalar>
void check_adafactor_steps(const AdafactorOptions& o, const Matrix& w0, const Matrix& c, double tolerance) {
  // In float the unset eps1 is float's epsilon, in the formula double's: they
  // agree while the variance is far above both.
  xg::testing::check_weighted_quadratic_path<Adafactor, Scalar>(o, w0, c, adafactor_by_formula(o, w0, c, 4), tolerance,
                                                                w0.size() == 1);
}

}  // namespace

TEST_CASE("Adafactor: the first step of a vector worked by hand") {
  // θ = (1, −0.5), g = (θ1, 4θ2) = (1, −2); t = 1: w = 1, ρ = min(0.01, 1) = 0.01,
  // RMS(θ) = √((1 + 0.25)/2) = 0.790569, α = 0.00790569; V = g² = (1, 4),
  // U = g/√V = (1, −1), RMS(U) = 1 ≤ d: θ = (1 − α, −0.5 + α).
  const double alpha = std::sqrt(1.25 / 2) * 0.01;
  const auto path = xg::testing::quadratic_path<Adafactor, double>(AdafactorOptions{}, 1);
  CHECK(path[0][0] == doctest::Approx(1 - alpha).epsilon(1e-12));
  CHECK(path[0][1] == doctest::Approx(-0.5 + alpha).epsilon(1e-12));
}

TEST_CASE("Adafactor: the first steps equal its formula, option by option, factored and full") {
  const Matrix matrix{{1.0, -0.5, 0.25}, {0.75, 2.0, -1.0}}, curvature{{1.0, 4.0, 0.5}, {2.0, 1.0, 3.0}};
  const Matrix vector{{1.0, -0.5, 0.25, 3.0}}, vector_curvature{{1.0, 4.0, 0.5, 2.0}};
  const std::vector<AdafactorOptions> cases{
      {},
      {.lr = 0.3},
      {.lr = 0.3, .beta2_decay = -0.3},
      {.lr = 0.3, .eps = {.eps1 = 0.4}},
      {.lr = 0.3, .eps = {.eps2 = 2.5}},
      {.lr = 0.3, .d = 1.05},
      {.lr = 0.3, .weight_decay = 0.2},
      {.lr = 0.3, .maximize = true},
  };
  for (const AdafactorOptions& o : cases) {
    check_adafactor_steps<double>(o, matrix, curvature, 1e-6);
    check_adafactor_steps<float>(o, matrix, curvature, 1e-5);
    check_adafactor_steps<double>(o, vector, vector_curvature, 1e-6);
    check_adafactor_steps<float>(o, vector, vector_curvature, 1e-5);
  }
}

TEST_CASE("Adafactor: the factored second moment of a rank-one g² equals the full one") {
  // g = a·bᵀ, constant: g²_ij = a_i²·b_j², and R_i·C_j / mean R = a_i²·b_j²
  // exactly, so the 3×4 matrix moves as the same 12 values held as a vector.
  const std::vector<double> a{1.0, -2.0, 0.5}, b{0.25, 1.0, -3.0, 2.0};
  auto gradient = [&](bool rank_one, const xg::Shape& shape) {
    auto g = xg::Array<double>::from_shape(shape);
    for (std::size_t i = 0; i < 3; ++i)
      for (std::size_t j = 0; j < 4; ++j)
        g.data()[i * 4 + j] = a[i] * b[j] + (rank_one ? 0.0 : 0.3 * static_cast<double>(i * j));
    return g;
  };
  auto run = [&](bool rank_one, const xg::Shape& shape) {
    auto w = xg::tensor<double>(xg::Array<double>(xt::ones<double>(shape)), true);
    Adafactor<double> optimizer({w}, {.lr = 0.1});
    for (int t = 0; t < 3; ++t) {
      w.grad() = gradient(rank_one, shape);
      optimizer.step();
    }
    return w.value();
  };
  const auto factored = run(true, {3, 4}), full = run(true, {12});
  for (std::size_t i = 0; i < factored.size(); ++i)
    CHECK(factored.data()[i] == doctest::Approx(full.data()[i]).epsilon(1e-12));
  // Not rank one: the factored estimate differs, so the comparison above is not vacuous.
  const auto factored2 = run(false, {3, 4}), full2 = run(false, {12});
  double difference = 0;
  for (std::size_t i = 0; i < factored2.size(); ++i)
    difference = std::max(difference, std::abs(factored2.data()[i] - full2.data()[i]));
  CHECK(difference > 1e-4);
}

TEST_CASE("Adafactor: a matrix keeps row and column factors, a vector its full variance, a 3-D tensor per matrix") {
  auto matrix = xg::zeros<float>({3, 4}, true), vector = xg::zeros<float>({5}, true),
       batch = xg::zeros<float>({2, 3, 4}, true);
  Adafactor<float> optimizer({matrix, vector, batch});
  for (auto* p : {&matrix, &vector, &batch}) p->grad() = xt::ones<float>(p->value().shape());
  optimizer.step();
  CHECK(xg::shape_to_string(optimizer.state(matrix, "row_var").shape()) == "(3, 1)");
  CHECK(xg::shape_to_string(optimizer.state(matrix, "col_var").shape()) == "(1, 4)");
  CHECK(xg::shape_to_string(optimizer.state(vector, "variance").shape()) == "(5,)");
  CHECK(xg::shape_to_string(optimizer.state(batch, "row_var").shape()) == "(2, 3, 1)");
  CHECK(xg::shape_to_string(optimizer.state(batch, "col_var").shape()) == "(2, 1, 4)");
  // g = 1 everywhere: R = C = 1, V̂ = 1, U = 1 (RMS 1), α = max(1e-3, 0)·0.01.
  CHECK(batch.value()(1, 2, 3) == doctest::Approx(-1e-5).epsilon(1e-6));
  CHECK(xg::testing::contains(
      xg::testing::message_of<std::invalid_argument>([&] { optimizer.state(matrix, "variance"); }),
      "'variance' is not used"));
}

TEST_CASE("Adafactor: invalid options are refused naming the option and its value") {
  using xg::testing::contains;
  using xg::testing::message_of;
  auto w = xg::zeros<double>({2}, true);
  CHECK(contains(message_of<std::invalid_argument>([&] { Adafactor<double>({w}, {.beta2_decay = 0.5}); }),
                 "Adafactor: invalid beta2_decay = 0.5 (must be <= 0)"));
  CHECK(contains(message_of<std::invalid_argument>([&] { Adafactor<double>({w}, {.d = 0.5}); }),
                 "Adafactor: invalid d = 0.5 (must be >= 1)"));
  CHECK(contains(message_of<std::invalid_argument>([&] { Adafactor<double>({w}, {.eps = {.eps1 = -1}}); }),
                 "Adafactor: invalid eps1 = -1 (must be > 0)"));
  CHECK(contains(message_of<std::invalid_argument>([&] { Adafactor<double>({w}, {.eps = {.eps1 = 0}}); }),
                 "Adafactor: invalid eps1 = 0 (must be > 0)"));
  CHECK(contains(message_of<std::invalid_argument>([&] { Adafactor<double>({w}, {.eps = {.eps2 = -1}}); }),
                 "Adafactor: invalid eps2 = -1 (must be >= 0)"));
}

TEST_CASE("Adafactor: training resumed from a checkpoint continues bit-identically") {
  xg::testing::check_resume<Adafactor<float>>({.lr = 0.1});
  xg::testing::check_resume<Adafactor<float>>({.lr = 0.1, .eps = {.eps1 = 1e-3}, .weight_decay = 0.1});
}

TEST_CASE("Adafactor: a row-sparse gradient is made dense: the same steps as the dense run") {
  using xg::testing::train_rows;
  const xg::optim::AdafactorOptions o{.lr = 0.1};
  CHECK(train_rows<Adafactor, double>(o, true) == train_rows<Adafactor, double>(o, false));
  CHECK(train_rows<Adafactor, float>(o, true) == train_rows<Adafactor, float>(o, false));
  CHECK_FALSE(train_rows<Adafactor, double>(o, true) == xg::full<double>({10, 3}, 0.2).value());
}

TEST_CASE("Adafactor: coordinates whose gradient stays zero do not move and do not become NaN") {
  auto matrix = xg::tensor<float>(xg::Array<float>{{1.0f, 2.0f}, {3.0f, 4.0f}}, true);
  auto vector = xg::tensor<float>(xg::Array<float>{1.0f, -1.0f}, true);
  Adafactor<float> optimizer({matrix, vector});
  for (int t = 0; t < 3; ++t) {
    matrix.grad() = xg::Array<float>{{0.0f, 0.0f}, {0.0f, 1.0f}};
    vector.grad() = xg::Array<float>{0.0f, 2.0f};
    optimizer.step();
  }
  CHECK(vector.value()(0) == 1.0f);
  CHECK(matrix.value()(0, 0) == 1.0f);
  CHECK(std::isfinite(matrix.value()(1, 1)));
  CHECK(matrix.value()(1, 1) < 4.0f);
}

TEST_CASE("Adafactor: a saved negative second-moment factor is refused on load") {
  auto w = xg::zeros<double>({2, 2}, true);
  Adafactor<double> optimizer(xg::NamedTensors<double>{{"w", w}});
  w.grad() = xg::Array<double>{{1.0, 2.0}, {3.0, 4.0}};
  optimizer.step();
  auto state = optimizer.state_dict();
  auto row_var = xg::Array<double>::from_shape({2, 1});
  row_var(0, 0) = 1.0;
  row_var(1, 0) = -2.0;
  state.put("state.w.row_var", row_var);
  CHECK(xg::testing::contains(xg::testing::message_of<std::invalid_argument>([&] { optimizer.load_state_dict(state); }),
                              "the saved 'row_var' of parameter 'w' holds -2 at flat index 1"));
}
