#include <xgrad/optim/yogi.hpp>

#include <cmath>

#include <xgrad/optim/detail/elementwise.hpp>
#include <xgrad/optim/detail/optimizer_impl.hpp>

namespace xg::optim {

// Yogi (Zaheer, Reddi, Sachan, Kale & Kumar, 2018, "Adaptive Methods for
// Nonconvex Optimization", Algorithm 2), as optax computes it (alias.yogi =
// scale_by_yogi, then the learning rate):
//   m ← β1·m + (1 − β1)·g              m starts at initial_accumulator_value
//   v ← v − (1 − β2)·sign(v − g²)·g²   v starts at initial_accumulator_value
//   θ ← θ − lr·(m / (1 − β1^t)) / (√(v / (1 − β2^t)) + ε)
// optax's conventions: both moments start at initial_accumulator_value (the
// paper starts m at 0), both are bias-corrected, and ε is added outside the
// square root (optax's eps_root, inside, is 0 by default and not offered).
// sign(0) is 0, as jnp.sign.
template <class Scalar>
void Yogi<Scalar>::update(const YogiOptions& o, ParamState<Scalar>& state, Array<Scalar>& param,
                          const Gradient<Scalar>& grad) {
  const double t = static_cast<double>(state.step), beta1 = o.betas[0], beta2 = o.betas[1];
  const Scalar b1 = beta1, rest1 = 1 - beta1, rest2 = 1 - beta2, eps = o.eps;
  const Scalar step_size = o.lr / (1 - std::pow(beta1, t));
  const Scalar bc2 = 1 - std::pow(beta2, t);
  const Scalar initial = static_cast<Scalar>(o.initial_accumulator_value);
  for_each_element(
      [=](auto& p, auto& g, auto& m, auto& v) {
        const auto g2 = g * g;
        m = b1 * m + rest1 * g;
        v = v - rest2 * sign_of(v - g2) * g2;
        p -= step_size * m / (xsimd::sqrt(v / bc2) + eps);
      },
      param, grad, &state.buffer(state_slot(state_names, "exp_avg"), param, initial),
      &state.buffer(state_slot(state_names, "exp_avg_sq"), param, initial));
}

XGRAD_INSTANTIATE_OPTIMIZER(Yogi, YogiOptions);

}  // namespace xg::optim
