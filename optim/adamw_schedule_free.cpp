#include <xgrad/optim/adamw_schedule_free.hpp>

#include <cmath>

#include <xgrad/optim/detail/elementwise.hpp>
#include <xgrad/optim/detail/optimizer_impl.hpp>

namespace xg::optim {

// Schedule-Free AdamW (Defazio, Yang, Mehta, Mishchenko, Khaled & Cutkosky,
// 2024, "The Road Less Scheduled", Algorithm 1 with Adam's step), as
// facebookresearch/schedule_free's adamw_schedulefree_reference.py computes
// it, at step t = k + 1:
//   lr_t = lr · min(1, (k + 1) / warmup_steps) · √(1 − β2^t)
//   c_t  = w_t / Σ_{i≤t} w_i,  w_t = t^r · (max_{i≤t} lr_i)^weight_lr_power
//   z ← z − lr_t·λ·y                                       weight_decay λ
//   v ← β2·v + (1 − β2)·g²
//   z ← z − lr_t · g / (√v + ε)
//   x ← (1 − c_t)·x + c_t·z
//   y ← β1·x + (1 − β1)·z,  the parameter
// The bias correction of v sits in lr_t, so it also weighs the average.
template <class Scalar>
void AdamWScheduleFree<Scalar>::update(const AdamWScheduleFreeOptions& o, ParamState<Scalar>& state,
                                       Array<Scalar>& param, const Gradient<Scalar>& grad) {
  const double t = static_cast<double>(state.step), beta1 = o.betas[0], beta2 = o.betas[1];
  const double scheduled_lr =
      o.lr * AdamWScheduleFree::warmup_factor(o, state.step - 1) * std::sqrt(1 - std::pow(beta2, t));
  const double c = AdamWScheduleFree::average_weight(o, state, scheduled_lr);
  const Scalar lr = scheduled_lr, lr_decay = scheduled_lr * o.weight_decay, keep = 1 - c, take = c;
  const Scalar b1 = beta1, rest1 = 1 - beta1, b2 = beta2, rest2 = 1 - beta2, eps = o.eps;
  AdamWScheduleFree::start_sequences(state, param);
  for_each_element(
      [=](auto& y, auto& g, auto& z, auto& x, auto& v) {
        z = z - lr_decay * y;
        v = decayed_average(b2, v, rest2 * g * g);
        z = z - lr * g / (xsimd::sqrt(v) + eps);
        x = keep * x + take * z;
        y = b1 * x + rest1 * z;
      },
      param, grad, &*state.buffers[state_slot(state_names, "z")], &*state.buffers[state_slot(state_names, "x")],
      &state.buffer(state_slot(state_names, "exp_avg_sq"), param));
}

XGRAD_INSTANTIATE_OPTIMIZER(AdamWScheduleFree, AdamWScheduleFreeOptions);

}  // namespace xg::optim
