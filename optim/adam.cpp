#include <xgrad/optim/adam.hpp>

#include <cmath>

#include <xgrad/optim/elementwise.hpp>
#include <xgrad/optim/optimizer_impl.hpp>

namespace xg::optim {

// Adam (Kingma & Ba, 2015, "Adam: A Method for Stochastic Optimization",
// Algorithm 1), with AMSGrad (Reddi, Kale & Kumar, 2018, "On the Convergence
// of Adam and Beyond"), as torch.optim.Adam defines them:
//   g ← ∇f(θ), negated when maximize;  g ← g + λθ      weight_decay λ
//   m ← β1·m + (1 − β1)·g
//   v ← β2·v + (1 − β2)·g²
//   amsgrad: v_max ← max(v_max, v), and v_max replaces v below
//   θ ← θ − lr/(1 − β1^t) · m / (√v / √(1 − β2^t) + ε)
// This is the paper's m̂/(√v̂ + ε) with ε added after the bias correction.
// AMSGrad keeps the maximum of the uncorrected v and corrects it afterwards,
// as PyTorch's code does.
template <class Scalar>
void Adam<Scalar>::update(const AdamOptions& o, ParamState<Scalar>& state, Array<Scalar>& param,
                          const Gradient<Scalar>& grad) {
  const double t = static_cast<double>(state.step), beta1 = o.betas[0], beta2 = o.betas[1];
  const Scalar b1 = beta1, b2 = beta2, rest1 = 1 - beta1, rest2 = 1 - beta2, eps = o.eps;
  const Scalar step_size = o.lr / (1 - std::pow(beta1, t));
  const Scalar inv_sqrt_bc2 = 1 / std::sqrt(1 - std::pow(beta2, t));
  const Scalar sign = o.maximize ? -1 : 1, decay = o.weight_decay;
  const bool amsgrad = o.amsgrad;
  Array<Scalar>* exp_avg = &state.buffer(0, param);
  Array<Scalar>* exp_avg_sq = &state.buffer(1, param);
  Array<Scalar>* max_exp_avg_sq = amsgrad ? &state.buffer(2, param) : nullptr;
  for_each_element(
      [=](auto& p, auto& g, auto& m, auto& v, auto& v_max) {
        g = sign * g + decay * p;
        m = b1 * m + rest1 * g;
        v = decayed_average(b2, v, rest2 * g * g);
        if (amsgrad) v_max = xsimd::max(v_max, v);
        p -= step_size * m / (xsimd::sqrt(amsgrad ? v_max : v) * inv_sqrt_bc2 + eps);
      },
      param, grad, exp_avg, exp_avg_sq, max_exp_avg_sq);
}

template class Optimizer<float, AdamOptions, Adam<float>>;
template class Optimizer<double, AdamOptions, Adam<double>>;
template class Adam<float>;
template class Adam<double>;

}  // namespace xg::optim
