#include <xgrad/optim/adamax.hpp>

#include <cmath>

#include <xgrad/optim/detail/elementwise.hpp>
#include <xgrad/optim/detail/optimizer_impl.hpp>

namespace xg::optim {

// Adamax (Kingma & Ba, 2015, "Adam: A Method for Stochastic Optimization",
// §7.1, Algorithm 2), as torch.optim.Adamax defines it:
//   g ← ∇f(θ), negated when maximize;  g ← g + λθ      weight_decay λ
//   m ← β1·m + (1 − β1)·g
//   u ← max(β2·u, |g| + ε)
//   θ ← θ − lr/(1 − β1^t) · m/u
// The paper takes max(β2·u, |g|), with no ε; PyTorch adds ε to |g| so that u
// is never 0, and so does this.
template <class Scalar>
void Adamax<Scalar>::update(const AdamaxOptions& o, ParamState<Scalar>& state, Array<Scalar>& param,
                            const Gradient<Scalar>& grad) {
  const double beta1 = o.betas[0];
  const Scalar b1 = beta1, b2 = o.betas[1], rest1 = 1 - beta1, eps = o.eps;
  const Scalar step_size = o.lr / (1 - std::pow(beta1, static_cast<double>(state.step)));
  const Scalar sign = o.maximize ? -1 : 1, decay = o.weight_decay;
  Array<Scalar>* exp_avg = &state.buffer(state_slot(state_names, "exp_avg"), param);
  Array<Scalar>* exp_inf = &state.buffer(state_slot(state_names, "exp_inf"), param);
  for_each_element(
      [=](auto& p, auto& g, auto& m, auto& u) {
        g = sign * g + decay * p;
        m = b1 * m + rest1 * g;
        u = xsimd::max(b2 * u, xsimd::abs(g) + eps);
        p -= step_size * m / u;
      },
      param, grad, exp_avg, exp_inf);
}

XGRAD_INSTANTIATE_OPTIMIZER(Adamax, AdamaxOptions);

}  // namespace xg::optim
