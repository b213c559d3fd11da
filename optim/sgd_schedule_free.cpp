#include <xgrad/optim/sgd_schedule_free.hpp>

#include <stdexcept>

#include <xgrad/optim/detail/elementwise.hpp>
#include <xgrad/optim/detail/optimizer_impl.hpp>

namespace xg::optim {

template <class Scalar>
void SGDScheduleFree<Scalar>::check_constraints(const SGDScheduleFreeOptions& o) {
  if (o.momentum == 0) throw std::invalid_argument("SGDScheduleFree: invalid momentum = 0 (must be in (0, 1))");
}

// Schedule-Free SGD (Defazio, Yang, Mehta, Mishchenko, Khaled & Cutkosky,
// 2024, "The Road Less Scheduled", Algorithm 1 with SGD's step), as
// facebookresearch/schedule_free's sgd_schedulefree_reference.py computes it,
// at step t = k + 1:
//   lr_t = lr · min(1, (k + 1) / warmup_steps)
//   c_t  = w_t / Σ_{i≤t} w_i,  w_t = t^r · (max_{i≤t} lr_i)^weight_lr_power
//   g ← ∇f(y) + λ·y                                        weight_decay λ
//   z ← z − lr_t · g
//   x ← (1 − c_t)·x + c_t·z
//   y ← β·x + (1 − β)·z,  the parameter                     momentum β
template <class Scalar>
void SGDScheduleFree<Scalar>::update(const SGDScheduleFreeOptions& o, ParamState<Scalar>& state, Array<Scalar>& param,
                                     const Gradient<Scalar>& grad) {
  const double scheduled_lr = o.lr * SGDScheduleFree::warmup_factor(o, state.step - 1);
  const double c = SGDScheduleFree::average_weight(o, state, scheduled_lr);
  const Scalar lr = scheduled_lr, keep = 1 - c, take = c, beta = o.momentum, rest = 1 - o.momentum,
               decay = o.weight_decay;
  SGDScheduleFree::start_sequences(state, param);
  for_each_element(
      [=](auto& y, auto& g, auto& z, auto& x) {
        g = g + decay * y;
        z = z - lr * g;
        x = keep * x + take * z;
        y = beta * x + rest * z;
      },
      param, grad, &*state.buffers[state_slot(state_names, "z")], &*state.buffers[state_slot(state_names, "x")]);
}

XGRAD_INSTANTIATE_OPTIMIZER(SGDScheduleFree, SGDScheduleFreeOptions);

}  // namespace xg::optim
