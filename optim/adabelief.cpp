#include <xgrad/optim/adabelief.hpp>

#include <cmath>

#include <xgrad/optim/detail/elementwise.hpp>
#include <xgrad/optim/detail/optimizer_impl.hpp>

namespace xg::optim {

// AdaBelief (Zhuang et al., 2020, "AdaBelief Optimizer: Adapting Stepsizes by
// the Belief in Observed Gradients", Algorithm 2), as optax computes it
// (alias.adabelief = transform.scale_by_belief, then the learning rate):
//   m ← β1·m + (1 − β1)·g
//   s ← β2·s + (1 − β2)·(g − m)² + ε_root     with the new m
//   θ ← θ − lr·(m / (1 − β1^t)) / (√(s / (1 − β2^t)) + ε)
// optax's conventions: eps_root is added to the stored s every step (the
// paper's ε inside s), before the bias correction; eps is added outside the
// square root, after it.
template <class Scalar>
void AdaBelief<Scalar>::update(const AdaBeliefOptions& o, ParamState<Scalar>& state, Array<Scalar>& param,
                               const Gradient<Scalar>& grad) {
  const double t = static_cast<double>(state.step), beta1 = o.betas[0], beta2 = o.betas[1];
  const Scalar b1 = beta1, b2 = beta2, rest1 = 1 - beta1, rest2 = 1 - beta2, eps = o.eps, eps_root = o.eps_root;
  const Scalar step_size = o.lr / (1 - std::pow(beta1, t));
  const Scalar bc2 = 1 - std::pow(beta2, t);
  for_each_element(
      [=](auto& p, auto& g, auto& m, auto& s) {
        m = b1 * m + rest1 * g;
        const auto error = g - m;
        s = decayed_average(b2, s, rest2 * error * error) + eps_root;
        p -= step_size * m / (xsimd::sqrt(s / bc2) + eps);
      },
      param, grad, &state.buffer(state_slot(state_names, "exp_avg"), param),
      &state.buffer(state_slot(state_names, "exp_avg_var"), param));
}

XGRAD_INSTANTIATE_OPTIMIZER(AdaBelief, AdaBeliefOptions);

}  // namespace xg::optim
