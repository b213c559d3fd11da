#include <xgrad/optim/adamw.hpp>

#include <cmath>

#include <xgrad/optim/elementwise.hpp>
#include <xgrad/optim/optimizer_impl.hpp>

namespace xg::optim {

// AdamW (Loshchilov & Hutter, 2019, "Decoupled Weight Decay Regularization",
// Algorithm 2), as torch.optim.AdamW defines it:
//   g ← ∇f(θ), negated when maximize
//   θ ← θ·(1 − lr·λ)                   weight_decay λ, kept out of m and v
//   m ← β1·m + (1 − β1)·g
//   v ← β2·v + (1 − β2)·g²
//   amsgrad: v_max ← max(v_max, v), and v_max replaces v below
//   θ ← θ − lr/(1 − β1^t) · m / (√v / √(1 − β2^t) + ε)
// The paper multiplies the decay by a schedule multiplier η_t; PyTorch
// multiplies it by lr, and so does this.
template <class Scalar>
void AdamW<Scalar>::update(const AdamWOptions& o, ParamState<Scalar>& state, Array<Scalar>& param,
                           const Gradient<Scalar>& grad) {
  const double t = static_cast<double>(state.step), beta1 = o.betas[0], beta2 = o.betas[1];
  const Scalar b1 = beta1, b2 = beta2, rest1 = 1 - beta1, rest2 = 1 - beta2, eps = o.eps;
  const Scalar step_size = o.lr / (1 - std::pow(beta1, t));
  const Scalar inv_sqrt_bc2 = 1 / std::sqrt(1 - std::pow(beta2, t));
  const Scalar sign = o.maximize ? -1 : 1, shrink = 1 - o.lr * o.weight_decay;
  const bool amsgrad = o.amsgrad;
  Array<Scalar>* exp_avg = &state.buffer(0, param);
  Array<Scalar>* exp_avg_sq = &state.buffer(1, param);
  Array<Scalar>* max_exp_avg_sq = amsgrad ? &state.buffer(2, param) : nullptr;
  for_each_element(
      [=](auto& p, auto& g, auto& m, auto& v, auto& v_max) {
        g = sign * g;
        p *= shrink;
        m = b1 * m + rest1 * g;
        v = decayed_average(b2, v, rest2 * g * g);
        if (amsgrad) v_max = xsimd::max(v_max, v);
        p -= step_size * m / (xsimd::sqrt(amsgrad ? v_max : v) * inv_sqrt_bc2 + eps);
      },
      param, grad, exp_avg, exp_avg_sq, max_exp_avg_sq);
}

template class Optimizer<float, AdamWOptions, AdamW<float>>;
template class Optimizer<double, AdamWOptions, AdamW<double>>;
template class AdamW<float>;
template class AdamW<double>;

}  // namespace xg::optim
