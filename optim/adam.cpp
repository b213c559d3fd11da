#include <xgrad/optim/adam.hpp>

#include <cmath>

#include <xgrad/optim/adamw.hpp>
#include <xgrad/optim/detail/adam_moments.hpp>
#include <xgrad/optim/detail/elementwise.hpp>
#include <xgrad/optim/detail/optimizer_impl.hpp>

namespace xg::optim {

// Adam (Kingma & Ba, 2015, "Adam: A Method for Stochastic Optimization",
// Algorithm 1), with AMSGrad (Reddi, Kale & Kumar, 2018, "On the Convergence
// of Adam and Beyond"), as torch.optim.Adam defines them, and AdamW
// (Loshchilov & Hutter, 2019, "Decoupled Weight Decay Regularization",
// Algorithm 2), as torch.optim.AdamW, a subclass of Adam with
// decoupled_weight_decay=True, defines it:
//   g ← ∇f(θ), negated when maximize
//   Adam:   g ← g + λθ                 weight_decay λ
//   AdamW:  θ ← θ·(1 − lr·λ)           weight_decay λ, kept out of m and v
//   m ← β1·m + (1 − β1)·g
//   v ← β2·v + (1 − β2)·g²
//   amsgrad: v_max ← max(v_max, v), and v_max replaces v below
//   θ ← θ − lr/(1 − β1^t) · m / (√v / √(1 − β2^t) + ε)
// This is the paper's m̂/(√v̂ + ε) with ε added after the bias correction.
// AMSGrad keeps the maximum of the uncorrected v and corrects it afterwards,
// as PyTorch's code does. AdamW's paper multiplies the decay by a schedule
// multiplier η_t; PyTorch multiplies it by lr, and so does this.
template <class Scalar, class Options, class Derived, bool decoupled_weight_decay>
void AdamPolicy<Scalar, Options, Derived, decoupled_weight_decay>::update(const Options& o, ParamState<Scalar>& state,
                                                                          Array<Scalar>& param,
                                                                          const Gradient<Scalar>& grad) {
  const AdamMoments<Scalar> moments(o.betas, state.step);
  const Scalar eps = o.eps;
  const Scalar step_size = o.lr / moments.bias_correction1;
  const Scalar inv_sqrt_bc2 = 1 / std::sqrt(moments.bias_correction2);
  const Scalar sign = o.maximize ? -1 : 1, decay = o.weight_decay, shrink = 1 - o.lr * o.weight_decay;
  const bool amsgrad = o.amsgrad;
  Array<Scalar>* exp_avg = &state.buffer(state_slot(state_names, "exp_avg"), param);
  Array<Scalar>* exp_avg_sq = &state.buffer(state_slot(state_names, "exp_avg_sq"), param);
  Array<Scalar>* max_exp_avg_sq = amsgrad ? &state.buffer(state_slot(state_names, "max_exp_avg_sq"), param) : nullptr;
  for_each_element(
      [=](auto& p, auto& g, auto& m, auto& v, auto& v_max) {
        if constexpr (decoupled_weight_decay) {
          g = sign * g;
          p *= shrink;
        } else {
          g = sign * g + decay * p;
        }
        moments.accumulate(m, v, g);
        if (amsgrad) v_max = xsimd::max(v_max, v);
        p -= step_size * m / (xsimd::sqrt(amsgrad ? v_max : v) * inv_sqrt_bc2 + eps);
      },
      param, grad, exp_avg, exp_avg_sq, max_exp_avg_sq);
}

template class AdamPolicy<float, AdamOptions, Adam<float>, false>;
template class AdamPolicy<double, AdamOptions, Adam<double>, false>;
XGRAD_INSTANTIATE_OPTIMIZER(Adam, AdamOptions);
template class AdamPolicy<float, AdamWOptions, AdamW<float>, true>;
template class AdamPolicy<double, AdamWOptions, AdamW<double>, true>;
XGRAD_INSTANTIATE_OPTIMIZER(AdamW, AdamWOptions);

}  // namespace xg::optim
