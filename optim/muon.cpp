#include <xgrad/optim/muon.hpp>

#include <algorithm>
#include <cmath>
#include <stdexcept>
#include <utility>
#include <vector>

#include <xgrad/core/detail/blas.hpp>
#include <xgrad/optim/detail/lerp.hpp>
#include <xgrad/optim/detail/optimizer_impl.hpp>

namespace xg::optim {

namespace {

// The transpose of the rows×cols matrix `from`, into `to`.
template <class Scalar>
void transpose(const Scalar* from, std::size_t rows, std::size_t cols, Scalar* to) {
  for (std::size_t r = 0; r < rows; ++r)
    for (std::size_t c = 0; c < cols; ++c) to[c * rows + r] = from[r * cols + c];
}

}  // namespace

// Keller Jordan's Newton-Schulz iteration ("Muon: An optimizer for hidden
// layers in neural networks", 2024), as torch.optim's
// _zeropower_via_newtonschulz computes it (PyTorch 2.9), in Scalar where
// PyTorch uses bfloat16. X is the wide orientation (rows ≤ cols, so that
// A = XXᵀ is the smaller Gram matrix):
//   X ← G / max(‖G‖_F, eps)
//   repeat: A ← XXᵀ;  B ← bA + cA²;  X ← aX + BX
// aX + BX is computed as (B + aI)X, one gemm and no copy of X.
template <class Scalar>
Array<Scalar> zeropower_via_newtonschulz(const Array<Scalar>& g, const std::array<double, 3>& coefficients,
                                         std::int64_t steps, double eps) {
  if (g.dimension() != 2)
    throw_shape_error("zeropower_via_newtonschulz", "needs a matrix, got shape " + shape_to_string(g.shape()));
  const bool tall = g.shape()[0] > g.shape()[1];
  const std::size_t rows = tall ? g.shape()[1] : g.shape()[0], cols = tall ? g.shape()[0] : g.shape()[1];
  const Scalar a = coefficients[0], b = coefficients[1], c = coefficients[2];
  std::vector<Scalar> x(g.size()), next(g.size()), gram(rows * rows), poly(rows * rows);
  if (tall)
    transpose(g.data(), g.shape()[0], g.shape()[1], x.data());
  else
    std::copy(g.begin(), g.end(), x.begin());
  double squares = 0;
  for (Scalar v : x) squares += static_cast<double>(v) * static_cast<double>(v);
  const Scalar norm = static_cast<Scalar>(std::max(std::sqrt(squares), eps));
  for (Scalar& v : x) v /= norm;
  for (std::int64_t k = 0; k < steps; ++k) {
    blas::gemm<Scalar>(false, true, rows, rows, cols, 1, x.data(), cols, x.data(), cols, 0, gram.data(), rows);
    poly = gram;
    blas::gemm<Scalar>(false, false, rows, rows, rows, c, gram.data(), rows, gram.data(), rows, b, poly.data(), rows);
    for (std::size_t i = 0; i < rows; ++i) poly[i * rows + i] += a;
    blas::gemm<Scalar>(false, false, rows, cols, rows, 1, poly.data(), rows, x.data(), cols, 0, next.data(), cols);
    std::swap(x, next);
  }
  Array<Scalar> out = Array<Scalar>::from_shape(g.shape());
  if (tall)
    transpose(x.data(), rows, cols, out.data());
  else
    std::copy(x.begin(), x.end(), out.begin());
  return out;
}

template <class Scalar>
void Muon<Scalar>::check_constraints(const MuonOptions& o) {
  if (o.ns_steps >= 100)
    throw std::invalid_argument("Muon: invalid ns_steps = " + std::to_string(o.ns_steps) + " (must be < 100)");
  if (o.adjust_lr_fn != MuonAdjustLR::original && o.adjust_lr_fn != MuonAdjustLR::match_rms_adamw)
    throw std::invalid_argument("Muon: invalid adjust_lr_fn = " + std::to_string(static_cast<int>(o.adjust_lr_fn)) +
                                " (must be original or match_rms_adamw)");
}

template <class Scalar>
void Muon<Scalar>::check_parameter(const std::string& which, const Shape& shape) {
  if (shape.size() != 2)
    throw std::invalid_argument("Muon: " + which + " has shape " + shape_to_string(shape) +
                                "; Muon updates only 2-D parameters (weight matrices): give biases, embeddings "
                                "and other parameters to another optimizer such as AdamW");
}

// Muon as torch.optim.Muon's _single_tensor_muon computes it (PyTorch 2.9):
//   g ← ∇f(θ);  B ← lerp(B, g, 1 − μ)                     momentum μ
//   U ← lerp(g, B, μ) with nesterov, else B
//   O ← NewtonSchulz(U)
//   θ ← θ·(1 − lr·λ)                                      decoupled weight_decay λ
//   θ ← θ − lr'·O,  lr' = lr·√max(1, A/B) (original) or lr·0.2·√max(A, B)
//                   (match_rms_adamw) for an A×B parameter
// The buffer starts at zero, so the first B is (1 − μ)g.
template <class Scalar>
void Muon<Scalar>::update(const MuonOptions& o, ParamState<Scalar>& state, Array<Scalar>& param,
                          const Gradient<Scalar>& grad) {
  const Scalar mu = o.momentum;
  Array<Scalar>& buffer = state.buffer(state_slot(state_names, "momentum_buffer"), param);
  Array<Scalar> direction = Array<Scalar>::from_shape(param.shape());
  for (std::size_t i = 0; i < param.size(); ++i) {
    const Scalar g = grad.values[i];
    Scalar& b = buffer.data()[i];
    b = lerp(b, g, 1 - mu);
    direction.data()[i] = o.nesterov ? lerp(g, b, mu) : b;
  }
  const Array<Scalar> orthogonal = zeropower_via_newtonschulz(direction, o.ns_coefficients, o.ns_steps, o.eps);
  const double rows = static_cast<double>(param.shape()[0]), cols = static_cast<double>(param.shape()[1]);
  const double adjusted_lr = o.adjust_lr_fn == MuonAdjustLR::original ? o.lr * std::sqrt(std::max(1.0, rows / cols))
                                                                      : o.lr * 0.2 * std::sqrt(std::max(rows, cols));
  const Scalar shrink = 1 - o.lr * o.weight_decay, step = adjusted_lr;
  for (std::size_t i = 0; i < param.size(); ++i)
    param.data()[i] = param.data()[i] * shrink - step * orthogonal.data()[i];
}

template Array<float> zeropower_via_newtonschulz(const Array<float>&, const std::array<double, 3>&, std::int64_t,
                                                 double);
template Array<double> zeropower_via_newtonschulz(const Array<double>&, const std::array<double, 3>&, std::int64_t,
                                                  double);
XGRAD_INSTANTIATE_OPTIMIZER(Muon, MuonOptions);

}  // namespace xg::optim
