#pragma once
// Muon: momentum SGD for weight matrices whose step is the momentum
// orthogonalized by a Newton-Schulz iteration (about U·Vᵀ of its SVD, so
// every direction of the matrix moves at a similar rate): torch.optim.Muon.
// Only 2-D parameters; biases, embeddings and gains go to AdamW (README).

#include <array>
#include <cstdint>
#include <string>

#include <xgrad/optim/optimizer.hpp>

namespace xg::optim {

// How the step of an A×B matrix is scaled from lr.
enum class MuonAdjustLR : std::uint8_t {
  original,         // lr·√max(1, A/B): Keller Jordan's Muon
  match_rms_adamw,  // lr·0.2·√max(A, B): Moonshot's, so AdamW's lr and weight decay carry over
};

struct MuonOptions {
  double lr = 1e-3;
  double weight_decay = 0.1;
  double momentum = 0.95;
  bool nesterov = true;
  // (a, b, c) of the quintic X ← aX + (bA + cA²)X, A = XXᵀ.
  std::array<double, 3> ns_coefficients{3.4445, -4.7750, 2.0315};
  double eps = 1e-7;
  std::int64_t ns_steps = 5;
  MuonAdjustLR adjust_lr_fn = MuonAdjustLR::original;
};

// The Newton-Schulz iteration of Muon on a rows×cols matrix: g divided by
// max(‖g‖_F, eps), then `steps` quintic iterations, every product one BLAS
// gemm in Scalar. Its singular values end near 1 (in about (0.5, 1.5) with
// the default coefficients): the orthogonal factor U·Vᵀ, roughly.
template <class Scalar>
Array<Scalar> zeropower_via_newtonschulz(const Array<Scalar>& g, const std::array<double, 3>& coefficients,
                                         std::int64_t steps, double eps);

template <class Scalar>
class Muon final : public Optimizer<Scalar, MuonOptions, Muon<Scalar>> {
 public:
  using Optimizer<Scalar, MuonOptions, Muon<Scalar>>::Optimizer;

  static constexpr const char* name = "Muon";
  static constexpr std::array<const char*, 1> state_names{"momentum_buffer"};

  static void for_each_option(auto& o, auto&& visit) {
    visit("lr", o.lr, Range::non_negative);
    visit("weight_decay", o.weight_decay, Range::non_negative);
    visit("momentum", o.momentum, Range::non_negative);
    visit("nesterov", o.nesterov);
    visit("ns_coefficients", o.ns_coefficients);
    visit("eps", o.eps, Range::positive);
    visit("ns_steps", o.ns_steps, Range::non_negative);
    visit("adjust_lr_fn", o.adjust_lr_fn);
  }
  static void check_constraints(const MuonOptions& o);
  static void check_parameter(const std::string& which, const Shape& shape);
  static void update(const MuonOptions& o, ParamState<Scalar>& state, Array<Scalar>& param,
                     const Gradient<Scalar>& grad);
};

XGRAD_DECLARE_OPTIMIZER(Muon, MuonOptions);

}  // namespace xg::optim
