#include <xgrad/optim/adagrad.hpp>

#include <xgrad/optim/detail/elementwise.hpp>
#include <xgrad/optim/detail/optimizer_impl.hpp>

namespace xg::optim {

// Adagrad (Duchi, Hazan & Singer, 2011, "Adaptive Subgradient Methods for
// Online Learning and Stochastic Optimization", diagonal form), as
// torch.optim.Adagrad defines it:
//   g ← ∇f(θ), negated when maximize;  g ← g + λθ      weight_decay λ
//   γ ← lr / (1 + (t − 1)·lr_decay)
//   s ← s + g²                        s starts at initial_accumulator_value
//   θ ← θ − γ·g / (√s + ε)            or γ·g / √(s + ε) with eps_inside_sqrt
template <class Scalar>
void Adagrad<Scalar>::update(const AdagradOptions& o, ParamState<Scalar>& state, Array<Scalar>& param,
                             const Gradient<Scalar>& grad) {
  const Scalar clr = o.lr / (1 + static_cast<double>(state.step - 1) * o.lr_decay);
  const Scalar sign = o.maximize ? -1 : 1, decay = o.weight_decay;
  const Scalar eps_in = o.eps_inside_sqrt ? o.eps : 0, eps_out = o.eps_inside_sqrt ? 0 : o.eps;
  Array<Scalar>* sum =
      &state.buffer(state_slot(state_names, "sum"), param, static_cast<Scalar>(o.initial_accumulator_value));
  for_each_element(
      [=](auto& p, auto& g, auto& s) {
        g = sign * g + decay * p;
        s += g * g;
        p -= clr * g / (xsimd::sqrt(s + eps_in) + eps_out);
      },
      param, grad, sum);
}

XGRAD_INSTANTIATE_OPTIMIZER(Adagrad, AdagradOptions);

}  // namespace xg::optim
