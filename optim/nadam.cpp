#include <xgrad/optim/nadam.hpp>

#include <cmath>

#include <xgrad/optim/detail/adam_moments.hpp>
#include <xgrad/optim/detail/elementwise.hpp>
#include <xgrad/optim/detail/optimizer_impl.hpp>

namespace xg::optim {

// NAdam (Dozat, 2016, "Incorporating Nesterov Momentum into Adam"), as
// torch.optim.NAdam defines it:
//   g ← ∇f(θ) + λθ                                     weight_decay λ
//   μ_t ← β1·(1 − ½·0.96^(tψ)),  μ_{t+1} ← β1·(1 − ½·0.96^((t+1)ψ))   momentum_decay ψ
//   Π ← Π·μ_t                                          mu_product, from 1
//   m ← β1·m + (1 − β1)·g
//   v ← β2·v + (1 − β2)·g²
//   θ ← θ − lr·[(1 − μ_t)/(1 − Π)·g + μ_{t+1}/(1 − Π·μ_{t+1})·m] / (√(v/(1 − β2^t)) + ε)
// The 0.96^(tψ) schedule is the paper's (after Sutskever et al., 2013) with
// ψ = 0.004 its default.
template <class Scalar>
void NAdam<Scalar>::update(const NAdamOptions& o, ParamState<Scalar>& state, Array<Scalar>& param,
                           const Gradient<Scalar>& grad) {
  const AdamMoments<Scalar> moments(o.betas, state.step);
  const double t = static_cast<double>(state.step), beta1 = o.betas[0];
  const double mu = beta1 * (1 - 0.5 * std::pow(0.96, t * o.momentum_decay));
  const double mu_next = beta1 * (1 - 0.5 * std::pow(0.96, (t + 1) * o.momentum_decay));
  double& mu_product = state.scalars[state_slot(scalar_state, "mu_product")];
  mu_product *= mu;
  const Scalar grad_weight = o.lr * (1 - mu) / (1 - mu_product);
  const Scalar avg_weight = o.lr * mu_next / (1 - mu_product * mu_next);
  const Scalar eps = o.eps, decay = o.weight_decay;
  const Scalar inv_sqrt_bc2 = 1 / std::sqrt(moments.bias_correction2);
  Array<Scalar>* exp_avg = &state.buffer(state_slot(state_names, "exp_avg"), param);
  Array<Scalar>* exp_avg_sq = &state.buffer(state_slot(state_names, "exp_avg_sq"), param);
  for_each_element(
      [=](auto& p, auto& g, auto& m, auto& v) {
        g += decay * p;
        moments.accumulate(m, v, g);
        p -= (grad_weight * g + avg_weight * m) / (xsimd::sqrt(v) * inv_sqrt_bc2 + eps);
      },
      param, grad, exp_avg, exp_avg_sq);
}

XGRAD_INSTANTIATE_OPTIMIZER(NAdam, NAdamOptions);

}  // namespace xg::optim
