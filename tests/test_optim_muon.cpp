// Muon (torch.optim.Muon, PyTorch 2.9): the Newton-Schulz iteration against
// a plain implementation written here, the singular values it leaves, the
// first steps from the formula for every option, the refusal of parameters
// that are not matrices, option validation and bit-identical resume.

#include <algorithm>
#include <cmath>
#include <stdexcept>
#include <vector>

#include <doctest/doctest.h>

#include <xgrad/optim/optim.hpp>
#include <xgrad/xgrad.hpp>

#include "exception_message.hpp"
#include "optim_test_support.hpp"

using xg::optim::Muon;
using xg::optim::MuonOptions;

namespace {

using xg::testing::Matrix;

Matrix multiply(const Matrix& a, const Matrix& b) {
  Matrix c(a.size(), std::vector<double>(b[0].size(), 0.0));
  for (std::size_t i = 0; i < a.size(); ++i)
    for (std::size_t k = 0; k < b.size(); ++k)
      for (std::size_t j = 0; j < b[0].size(); ++j) c[i][j] += a[i][k] * b[k][j];
  return c;
}

Matrix transposed(const Matrix& a) {
  Matrix t(a[0].size(), std::vector<double>(a.size()));
  for (std::size_t i = 0; i < a.size(); ++i)
    for (std::size_t j = 0; j < a[0].size(); ++j) t[j][i] = a[i][j];
  return t;
}

// The quintic Newton-Schulz iteration as Keller Jordan's post writes it:
// X ← G/‖G‖_F (transposed when tall), then X ← aX + (bA + cA²)X, A = XXᵀ.
Matrix newton_schulz(Matrix x, double a, double b, double c, int steps) {
  const bool tall = x.size() > x[0].size();
  if (tall) x = transposed(x);
  double norm = 0;
  for (const auto& row : x)
    for (double v : row) norm += v * v;
  norm = std::max(std::sqrt(norm), 1e-7);
  for (auto& row : x)
    for (double& v : row) v /= norm;
  for (int k = 0; k < steps; ++k) {
    const Matrix gram = multiply(x, transposed(x));
    const Matrix gram2 = multiply(gram, gram);
    Matrix poly = gram;
    for (std::size_t i = 0; i < poly.size(); ++i)
      for (std::size_t j = 0; j < poly.size(); ++j) poly[i][j] = b * gram[i][j] + c * gram2[i][j];
    const Matrix px = multiply(poly, x);
    for (std::size_t i = 0; i < x.size(); ++i)
      for (std::size_t j = 0; j < x[0].size(); ++j) x[i][j] = a * x[i][j] + px[i][j];
  }
  return tall ? transposed(x) : x;
}

Matrix to_matrix(const xg::Array<double>& a) {
  Matrix m(a.shape()[0], std::vector<double>(a.shape()[1]));
  for (std::size_t i = 0; i < m.size(); ++i)
    for (std::size_t j = 0; j < m[0].size(); ++j) m[i][j] = a(i, j);
  return m;
}

xg::Array<double> seeded_matrix(std::size_t rows, std::size_t cols, std::uint64_t seed) {
  xg::Generator gen(seed);
  auto a = xg::Array<double>::from_shape({rows, cols});
  for (auto& v : a) v = gen.normal();
  return a;
}

// Eigenvalues of a symmetric matrix by cyclic Jacobi rotations.
std::vector<double> symmetric_eigenvalues(Matrix a) {
  const std::size_t n = a.size();
  for (int sweep = 0; sweep < 100; ++sweep) {
    double off = 0;
    for (std::size_t p = 0; p < n; ++p)
      for (std::size_t q = p + 1; q < n; ++q) off += a[p][q] * a[p][q];
    if (off < 1e-22) break;
    for (std::size_t p = 0; p < n; ++p)
      for (std::size_t q = p + 1; q < n; ++q) {
        if (std::abs(a[p][q]) < 1e-300) continue;
        const double theta = (a[q][q] - a[p][p]) / (2 * a[p][q]);
        const double t = (theta >= 0 ? 1 : -1) / (std::abs(theta) + std::sqrt(theta * theta + 1));
        const double c = 1 / std::sqrt(t * t + 1), s = t * c;
        for (std::size_t k = 0; k < n; ++k) {
          const double akp = a[k][p], akq = a[k][q];
          a[k][p] = c * akp - s * akq;
          a[k][q] = s * akp + c * akq;
        }
        for (std::size_t k = 0; k < n; ++k) {
          const double apk = a[p][k], aqk = a[q][k];
          a[p][k] = c * apk - s * aqk;
          a[q][k] = s * apk + c * aqk;
        }
      }
  }
  std::vector<double> eigenvalues(n);
  for (std::size_t i = 0; i < n; ++i) eigenvalues[i] = a[i][i];
  return eigenvalues;
}

}  // namespace

TEST_CASE("Muon: the Newton-Schulz iteration equals the plain one, wide, tall and square") {
  for (auto [rows, cols] : {std::pair{3, 5}, std::pair{6, 2}, std::pair{4, 4}}) {
    const auto g = seeded_matrix(rows, cols, 11 + rows);
    const auto fast = xg::optim::zeropower_via_newtonschulz(g, {3.4445, -4.7750, 2.0315}, 5, 1e-7);
    const Matrix plain = newton_schulz(to_matrix(g), 3.4445, -4.7750, 2.0315, 5);
    for (std::size_t i = 0; i < plain.size(); ++i)
      for (std::size_t j = 0; j < plain[0].size(); ++j)
        CHECK(fast(i, j) == doctest::Approx(plain[i][j]).epsilon(1e-12));
    const auto in_float =
        xg::optim::zeropower_via_newtonschulz(xg::Array<float>(xt::cast<float>(g)), {3.4445, -4.7750, 2.0315}, 5, 1e-7);
    for (std::size_t i = 0; i < plain.size(); ++i)
      for (std::size_t j = 0; j < plain[0].size(); ++j) CHECK(std::abs(in_float(i, j) - plain[i][j]) < 1e-5);
  }
}

TEST_CASE("Muon: after 5 iterations a square matrix's singular values lie in (0.5, 1.5)") {
  // A seeded 16×16 Gaussian matrix; σ² are the eigenvalues of OᵀO.
  const auto g = seeded_matrix(16, 16, 3);
  const Matrix o = to_matrix(xg::optim::zeropower_via_newtonschulz(g, {3.4445, -4.7750, 2.0315}, 5, 1e-7));
  const std::vector<double> squares = symmetric_eigenvalues(multiply(transposed(o), o));
  const std::vector<double> before = symmetric_eigenvalues(multiply(transposed(to_matrix(g)), to_matrix(g)));
  const auto [low, high] = std::minmax_element(squares.begin(), squares.end());
  MESSAGE("singular values of the update: " << std::sqrt(*low) << " to " << std::sqrt(*high) << " (of g: "
                                            << std::sqrt(*std::min_element(before.begin(), before.end())) << " to "
                                            << std::sqrt(*std::max_element(before.begin(), before.end())) << ")");
  CHECK(std::sqrt(*low) > 0.5);
  CHECK(std::sqrt(*high) < 1.5);
}

namespace {

// Three Muon steps on f(W) = ½·sum(C ⊙ W ⊙ W), g = C ⊙ W, written from the
// formula of torch.optim.Muon with the plain Newton-Schulz above.
std::vector<Matrix> muon_by_formula(const MuonOptions& o, Matrix w, const Matrix& c, int steps) {
  Matrix buffer(w.size(), std::vector<double>(w[0].size(), 0.0));
  std::vector<Matrix> path;
  const double rows = static_cast<double>(w.size()), cols = static_cast<double>(w[0].size());
  const double adjusted = o.adjust_lr_fn == xg::optim::MuonAdjustLR::original
                              ? o.lr * std::sqrt(std::max(1.0, rows / cols))
                              : o.lr * 0.2 * std::sqrt(std::max(rows, cols));
  for (int t = 0; t < steps; ++t) {
    Matrix direction = w;
    for (std::size_t i = 0; i < w.size(); ++i)
      for (std::size_t j = 0; j < w[0].size(); ++j) {
        const double g = c[i][j] * w[i][j];
        buffer[i][j] = o.momentum * buffer[i][j] + (1 - o.momentum) * g;
        direction[i][j] = o.nesterov ? (1 - o.momentum) * g + o.momentum * buffer[i][j] : buffer[i][j];
      }
    const auto& k = o.ns_coefficients;
    const Matrix orthogonal = newton_schulz(direction, k[0], k[1], k[2], static_cast<int>(o.ns_steps));
    for (std::size_t i = 0; i < w.size(); ++i)
      for (std::size_t j = 0; j < w[0].size(); ++j)
        w[i][j] = w[i][j] * (1 - o.lr * o.weight_decay) - adjusted * orthogonal[i][j];
    path.push_back(w);
  }
  return path;
}

// On the matrix and on its transpose (Newton-Schulz's tall branch).
template <class Scalar>
void check_muon_steps(const MuonOptions& o, double tolerance) {
  const Matrix start{{1.0, -0.5, 0.25}, {0.75, 2.0, -1.0}};
  const Matrix c{{1.0, 4.0, 0.5}, {2.0, 1.0, 3.0}};
  for (bool tall : {false, true}) {
    const Matrix w0 = tall ? transposed(start) : start, c0 = tall ? transposed(c) : c;
    xg::testing::check_weighted_quadratic_path<Muon, Scalar>(o, w0, c0, muon_by_formula(o, w0, c0, 3), tolerance);
  }
}

}  // namespace

TEST_CASE("Muon: the first steps equal its formula, option by option") {
  const std::vector<MuonOptions> cases{
      {},
      {.lr = 0.02, .weight_decay = 0},
      {.lr = 0.02, .momentum = 0.5, .nesterov = false},
      {.lr = 0.01, .weight_decay = 0.5, .ns_coefficients = {2, -1.5, 0.5}, .ns_steps = 3},
      {.lr = 0.01, .adjust_lr_fn = xg::optim::MuonAdjustLR::match_rms_adamw},
  };
  for (const MuonOptions& o : cases) {
    check_muon_steps<double>(o, 1e-6);
    check_muon_steps<float>(o, 1e-5);
  }
}

TEST_CASE("Muon: a parameter that is not a matrix is refused, naming it and its shape") {
  using xg::testing::contains;
  using xg::testing::message_of;
  auto w = xg::zeros<float>({3, 2}, true);
  auto bias = xg::zeros<float>({2}, true);
  const std::string message = message_of<std::invalid_argument>([&] {
    Muon<float>(xg::NamedTensors<float>{{"fc.weight", w}, {"fc.bias", bias}});
  });
  CHECK(contains(message, "Muon: parameter 'fc.bias' has shape (2,)"));
  CHECK(contains(message, "only 2-D parameters"));
  // A matrix whose value is replaced by another shape is refused at the step,
  // before anything changes.
  Muon<float> optimizer(xg::NamedTensors<float>{{"fc.weight", w}});
  w.value() = xt::ones<float>({1, 3, 2});
  w.grad() = xt::ones<float>({1, 3, 2});
  CHECK(contains(message_of<std::invalid_argument>([&] { optimizer.step(); }),
                 "Muon: parameter 'fc.weight' has shape (1, 3, 2)"));
  CHECK(w.value() == xt::ones<float>({1, 3, 2}));
}

TEST_CASE("Muon: invalid options are refused naming the option and its value") {
  using xg::testing::contains;
  using xg::testing::message_of;
  auto w = xg::zeros<double>({2, 2}, true);
  CHECK(contains(message_of<std::invalid_argument>([&] { Muon<double>({w}, {.ns_steps = 100}); }),
                 "Muon: invalid ns_steps = 100 (must be < 100)"));
  CHECK(contains(message_of<std::invalid_argument>([&] { Muon<double>({w}, {.ns_steps = -1}); }),
                 "Muon: invalid ns_steps = -1 (must be >= 0)"));
  CHECK(contains(message_of<std::invalid_argument>([&] { Muon<double>({w}, {.eps = 0}); }),
                 "Muon: invalid eps = 0 (must be > 0)"));
  CHECK(contains(message_of<std::invalid_argument>(
                     [&] { Muon<double>({w}, {.adjust_lr_fn = static_cast<xg::optim::MuonAdjustLR>(9)}); }),
                 "Muon: invalid adjust_lr_fn = 9"));
  CHECK(contains(message_of<std::invalid_argument>([&] { Muon<double>({w}, {.momentum = -0.1}); }),
                 "Muon: invalid momentum = -0.1 (must be >= 0)"));
}

TEST_CASE("Muon: training resumed from a checkpoint continues bit-identically") {
  xg::testing::check_resume<Muon<float>>({.lr = 0.02}, true);
  xg::testing::check_resume<Muon<float>>(
      {.lr = 0.02, .nesterov = false, .adjust_lr_fn = xg::optim::MuonAdjustLR::match_rms_adamw}, true);
}

TEST_CASE("Muon: the README's pairing, Muon for hidden matrices and AdamW for the rest, trains an MLP") {
  xg::manual_seed(5);
  xg::nn::Sequential model{xg::nn::Linear(8, 16), xg::nn::Tanh(), xg::nn::Linear(16, 3)};
  xg::NamedTensors<float> matrices, others;
  for (auto& [name, p] : model.named_parameters())
    (p.value().dimension() == 2 && name != "2.weight" ? matrices : others).emplace_back(name, p);
  REQUIRE(matrices.size() == 1);
  REQUIRE(others.size() == 3);
  Muon<float> muon(matrices, {.lr = 0.02});
  xg::optim::AdamW<float> adamw(others, {.lr = 3e-3});
  const auto x = xg::randn({32, 8});
  std::vector<std::size_t> labels;
  for (std::size_t i = 0; i < 32; ++i) labels.push_back(x.value()(i, 0) > 0 ? (x.value()(i, 1) > 0 ? 2 : 1) : 0);
  double first = 0, last = 0;
  for (int t = 0; t < 100; ++t) {
    auto loss = xg::nn::functional::cross_entropy(model(x), labels);
    muon.zero_grad();
    adamw.zero_grad();
    loss.backward();
    muon.step();
    adamw.step();
    (t == 0 ? first : last) = loss.item();
  }
  MESSAGE("cross-entropy " << first << " -> " << last << " after 100 steps");
  CHECK(last < 0.5 * first);
}

TEST_CASE("Muon: a row-sparse gradient is made dense: the same steps as the dense run") {
  using xg::testing::train_rows;
  const xg::optim::MuonOptions o{.lr = 0.02};
  CHECK(train_rows<Muon, double>(o, true) == train_rows<Muon, double>(o, false));
  CHECK(train_rows<Muon, float>(o, true) == train_rows<Muon, float>(o, false));
  CHECK_FALSE(train_rows<Muon, double>(o, true) == xg::full<double>({10, 3}, 0.2).value());
}

TEST_CASE("Muon: a zero gradient orthogonalizes to zero: only the weight decay acts, no NaN") {
  auto w = xg::tensor<double>(xg::Array<double>{{1.0, -2.0}, {0.5, 4.0}}, true);
  Muon<double> optimizer({w}, {.lr = 0.1, .weight_decay = 0.5});
  w.grad() = xt::zeros<double>({2, 2});
  optimizer.step();
  // θ ← θ·(1 − 0.1·0.5): the Newton-Schulz input is 0/max(0, eps) = 0.
  CHECK(w.value() == xg::Array<double>{{0.95, -1.9}, {0.475, 3.8}});
}
