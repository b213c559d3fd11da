#include <xgrad/optim/asgd.hpp>

#include <algorithm>
#include <cmath>

#include <xgrad/optim/detail/elementwise.hpp>
#include <xgrad/optim/detail/optimizer_impl.hpp>

namespace xg::optim {

// Averaged SGD (Polyak & Juditsky, 1992, "Acceleration of Stochastic
// Approximation by Averaging"), as torch.optim.ASGD's _single_tensor_asgd
// computes it (read at a PyTorch 2.2-era revision, with capturable and
// complex support), at step t:
//   g ← ∇f(θ), negated when maximize;  g ← g + λ_wd·θ
//   θ ← θ·(1 − λη) − η·g
//   ax ← θ while μ = 1, else ax + μ(θ − ax)
//   η ← lr / (1 + λ·lr·t)^α;  μ ← 1 / max(1, t − t0)      for the next step
// η and μ are per-parameter state; η is the group's lr at the first step.
// (PyTorch's foreach path computes (1 + λ·lr·t^α); the single-tensor one,
// followed here, is the documented formula.)
template <class Scalar>
void ASGD<Scalar>::update(const ASGDOptions& o, ParamState<Scalar>& state, Array<Scalar>& param,
                          const Gradient<Scalar>& grad) {
  double& eta = state.scalars[state_slot(scalar_state, "eta")];
  double& mu = state.scalars[state_slot(scalar_state, "mu")];
  if (state.step == 1) eta = o.lr;
  const Scalar sign = o.maximize ? -1 : 1, decay = o.weight_decay;
  const Scalar shrink = 1 - o.lambd * eta, step_size = eta, weight = mu;
  const bool averaging = mu != 1;
  for_each_element(
      [=](auto& p, auto& g, auto& ax) {
        g = sign * g + decay * p;
        p = p * shrink - step_size * g;
        ax = averaging ? ax + weight * (p - ax) : p;
      },
      param, grad, &state.buffer(state_slot(state_names, "ax"), param));
  const double t = static_cast<double>(state.step);
  eta = o.lr / std::pow(1 + o.lambd * o.lr * t, o.alpha);
  mu = 1 / std::max(1.0, t - o.t0);
}

XGRAD_INSTANTIATE_OPTIMIZER(ASGD, ASGDOptions);

}  // namespace xg::optim
