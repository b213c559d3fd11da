#include <xgrad/optim/radam.hpp>

#include <cmath>

#include <xgrad/optim/detail/adam_moments.hpp>
#include <xgrad/optim/detail/elementwise.hpp>
#include <xgrad/optim/detail/optimizer_impl.hpp>

namespace xg::optim {

// RAdam (Liu et al., 2020, "On the Variance of the Adaptive Learning Rate and
// Beyond", Algorithm 2), as torch.optim.RAdam defines it:
//   g ← ∇f(θ) + λθ                                     weight_decay λ
//   m ← β1·m + (1 − β1)·g,  v ← β2·v + (1 − β2)·g²,  m̂ ← m/(1 − β1^t)
//   ρ∞ ← 2/(1 − β2) − 1,  ρ_t ← ρ∞ − 2t·β2^t/(1 − β2^t)
//   if ρ_t > 5:  r ← √((ρ_t − 4)(ρ_t − 2)ρ∞ / ((ρ∞ − 4)(ρ∞ − 2)ρ_t))
//                θ ← θ − lr·m̂·r·√(1 − β2^t)/(√v + ε)
//   else:        θ ← θ − lr·m̂                          (momentum SGD)
// The paper's adaptive term is √((1 − β2^t)/v) and its test ρ_t > 4;
// PyTorch adds ε to √v and tests ρ_t > 5, and so does this.
template <class Scalar>
void RAdam<Scalar>::update(const RAdamOptions& o, ParamState<Scalar>& state, Array<Scalar>& param,
                           const Gradient<Scalar>& grad) {
  const AdamMoments<Scalar> moments(o.betas, state.step);
  const double t = static_cast<double>(state.step), beta2 = o.betas[1];
  const double bias_correction2 = moments.bias_correction2;
  const double rho_inf = 2 / (1 - beta2) - 1;
  const double rho_t = rho_inf - 2 * t * std::pow(beta2, t) / bias_correction2;
  const bool rectified = rho_t > 5;
  const double rect =
      rectified ? std::sqrt((rho_t - 4) * (rho_t - 2) * rho_inf / ((rho_inf - 4) * (rho_inf - 2) * rho_t)) : 0;
  const Scalar sgd_step = o.lr / moments.bias_correction1;
  const Scalar adaptive_step = sgd_step * rect * std::sqrt(bias_correction2);
  const Scalar eps = o.eps, decay = o.weight_decay;
  Array<Scalar>* exp_avg = &state.buffer(state_slot(state_names, "exp_avg"), param);
  Array<Scalar>* exp_avg_sq = &state.buffer(state_slot(state_names, "exp_avg_sq"), param);
  for_each_element(
      [=](auto& p, auto& g, auto& m, auto& v) {
        g += decay * p;
        moments.accumulate(m, v, g);
        if (rectified)
          p -= adaptive_step * m / (xsimd::sqrt(v) + eps);
        else
          p -= sgd_step * m;
      },
      param, grad, exp_avg, exp_avg_sq);
}

XGRAD_INSTANTIATE_OPTIMIZER(RAdam, RAdamOptions);

}  // namespace xg::optim
