#include <xgrad/optim/shampoo.hpp>

#include <algorithm>
#include <array>
#include <cmath>
#include <stdexcept>
#include <string>
#include <utility>

#include <xtensor-blas/xlinalg.hpp>

#include <xgrad/core/detail/blas.hpp>
#include <xgrad/optim/detail/optimizer_impl.hpp>

namespace xg::optim {

namespace {

// The matrix a parameter is preconditioned as: (shape[0], the rest) with 2
// or more dimensions; a vector or scalar is (n, 1) and gets one statistic.
struct MatrixShape {
  std::size_t rows, cols;
  bool vector;
};

MatrixShape matrix_shape(const Shape& shape) {
  const std::size_t numel = checked_numel("Shampoo", shape);
  if (shape.size() < 2) return {numel, 1, true};
  return {shape[0], shape[0] ? numel / shape[0] : 0, false};
}

template <class Scalar>
double squared_norm(const Array<Scalar>& a) {
  double sum = 0;
  for (Scalar x : a) sum += static_cast<double>(x) * x;
  return sum;
}

}  // namespace

template <class Scalar>
void inverse_root(const Array<Scalar>& s, double exponent, double floor, Array<Scalar>& root) {
  const std::size_t n = s.shape()[0];
  for (Scalar x : s)
    if (!std::isfinite(x))
      throw std::invalid_argument("Shampoo: a " + std::to_string(n) + " x " + std::to_string(n) +
                                  " statistic holds a non-finite value (a NaN or Inf gradient); its root is undefined");
  auto [eigenvalues, eigenvectors] = xt::linalg::eigh(s);
  // eigenvectors is column-major: its buffer read row-major is Vᵀ.
  auto scaled = Array<Scalar>::from_shape({n, n});  // row j = λ_j^(−exponent)·v_jᵀ
  const Scalar* vt = eigenvectors.data();
  for (std::size_t j = 0; j < n; ++j) {
    const auto factor = static_cast<Scalar>(std::pow(std::max<double>(eigenvalues(j), floor), -exponent));
    for (std::size_t i = 0; i < n; ++i) scaled.data()[j * n + i] = factor * vt[j * n + i];
  }
  root = Array<Scalar>::from_shape({n, n});
  // root = V·diag·Vᵀ = (Vᵀ)ᵀ·scaled
  blas::gemm<Scalar>(true, false, n, n, n, 1, vt, n, scaled.data(), n, 0, root.data(), n);
}

template <class Scalar>
void Shampoo<Scalar>::check_constraints(const ShampooOptions& o) {
  if (o.graft != ShampooGraft::none && o.graft != ShampooGraft::adagrad)
    throw std::invalid_argument("Shampoo: invalid graft = " + std::to_string(static_cast<int>(o.graft)) +
                                " (must be none or adagrad)");
}

template <class Scalar>
Shape Shampoo<Scalar>::state_shape(std::size_t k, const Shape& param) {
  const MatrixShape m = matrix_shape(param);
  if (k == 4) return param;
  const std::size_t side = k % 2 == 0 ? m.rows : (m.vector ? 0 : m.cols);
  return {side, side};
}

// Shampoo (Gupta, Koren & Singer, 2018, "Shampoo: Preconditioned Stochastic
// Tensor Optimization", Algorithm 1), for a matrix gradient G (m × n):
//   L ← L + G·Gᵀ,  R ← R + Gᵀ·G          both start at epsilon·I
//   θ ← θ − lr·L^(−1/4)·G·R^(−1/4)
// and for a vector g, full-matrix Adagrad (Duchi, Hazan & Singer, 2011, the
// paper Adagrad comes from, whose diagonal form torch.optim.Adagrad is):
//   H ← H + g·gᵀ (from epsilon·I),  θ ← θ − lr·H^(−1/2)·g
// Full-matrix Adagrad on a matrix would need an (mn × mn) statistic; Shampoo
// replaces it by the Kronecker product of the two small ones, whose
// (−1/4)-th powers precondition each side, and is its direct successor.
// The roots come from LAPACK's syevd (inverse_root), are recomputed every
// update_freq steps (at steps 1, 1 + update_freq, ...) and kept in the state
// in between, so a resumed run continues bit for bit. L ≥ epsilon·I, so an
// eigenvalue below epsilon is rounding and is raised to epsilon.
// graft = adagrad: the direction D is rescaled to the norm of diagonal
// Adagrad's step on the same parameter, g/√s with s ← s + g² from epsilon
// (the diagonal of the same statistic), as grafting (Agarwal et al., 2020,
// "Disentangling Adaptive Gradient Methods from Learning Rates") does per
// layer: θ ← θ − lr·(‖g/√s‖ / ‖D‖)·D.
template <class Scalar>
void Shampoo<Scalar>::update(const ShampooOptions& o, ParamState<Scalar>& state, Array<Scalar>& param,
                             const Gradient<Scalar>& grad) {
  if (param.size() == 0) return;
  const MatrixShape shape = matrix_shape(to_shape(param.shape()));
  const std::size_t m = shape.rows, n = shape.cols;
  const Scalar* g = grad.values;
  // A vector is the (m × 1) matrix whose left statistic is g·gᵀ and whose
  // only root is the (−1/2)-th power.
  const std::size_t sides = shape.vector ? 1 : 2;
  const double exponent = shape.vector ? 0.5 : 0.25;
  // The statistic of side 0 (left) or 1 (right), and its root.
  constexpr std::array<std::size_t, 2> statistic_slot{state_slot(state_names, "preconditioner_left"),
                                                      state_slot(state_names, "preconditioner_right")};
  constexpr std::array<std::size_t, 2> root_slot{state_slot(state_names, "inverse_root_left"),
                                                 state_slot(state_names, "inverse_root_right")};
  const bool refresh = (state.step - 1) % o.update_freq == 0 || !state.buffers[root_slot[0]] ||
                       (sides == 2 && !state.buffers[root_slot[1]]);
  // New statistics and roots are computed aside and committed together, so
  // that a failing eigendecomposition leaves the state as it was.
  std::array<Array<Scalar>, 2> statistics, roots;
  for (std::size_t side = 0; side < sides; ++side) {
    const std::size_t size = side == 0 ? m : n;
    if (state.buffers[statistic_slot[side]]) {
      statistics[side] = *state.buffers[statistic_slot[side]];
    } else {
      statistics[side] = Array<Scalar>::from_shape({size, size});
      statistics[side].fill(0);
      for (std::size_t i = 0; i < size; ++i) statistics[side](i, i) = static_cast<Scalar>(o.epsilon);
    }
    if (side == 0)
      blas::gemm<Scalar>(false, true, m, m, n, 1, g, n, g, n, 1, statistics[0].data(), m);
    else
      blas::gemm<Scalar>(true, false, n, n, m, 1, g, n, g, n, 1, statistics[1].data(), n);
    if (refresh) inverse_root(statistics[side], exponent, o.epsilon, roots[side]);
  }
  for (std::size_t side = 0; side < sides; ++side) {
    state.buffers[statistic_slot[side]] = std::move(statistics[side]);
    if (refresh) state.buffers[root_slot[side]] = std::move(roots[side]);
  }
  auto direction = Array<Scalar>::from_shape(param.shape());
  auto half = Array<Scalar>::from_shape({m, n});
  blas::gemm<Scalar>(false, false, m, n, m, 1, state.buffers[root_slot[0]]->data(), m, g, n, 0,
                     sides == 1 ? direction.data() : half.data(), n);
  if (sides == 2)
    blas::gemm<Scalar>(false, false, m, n, n, 1, half.data(), n, state.buffers[root_slot[1]]->data(), n, 0,
                       direction.data(), n);
  double scale = 1;
  if (o.graft == ShampooGraft::adagrad) {
    Array<Scalar>& sum = state.buffer(state_slot(state_names, "graft_sum"), param, static_cast<Scalar>(o.epsilon));
    double adagrad_sq = 0;
    for (std::size_t i = 0; i < param.size(); ++i) {
      sum.data()[i] += g[i] * g[i];
      const double step = g[i] / std::sqrt(static_cast<double>(sum.data()[i]));
      adagrad_sq += step * step;
    }
    const double direction_sq = squared_norm(direction);
    scale = direction_sq == 0 ? 1 : std::sqrt(adagrad_sq) / std::sqrt(direction_sq);
  }
  const auto step_size = static_cast<Scalar>(o.lr * scale);
  for (std::size_t i = 0; i < param.size(); ++i) param.data()[i] -= step_size * direction.data()[i];
}

template void inverse_root<float>(const Array<float>&, double, double, Array<float>&);
template void inverse_root<double>(const Array<double>&, double, double, Array<double>&);
XGRAD_INSTANTIATE_OPTIMIZER(Shampoo, ShampooOptions);

}  // namespace xg::optim
