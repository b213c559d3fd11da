#pragma once
// Schedule-Free SGD (Defazio et al. 2024): SGD with momentum whose average
// iterate needs no learning-rate schedule; call train() before training and
// eval() before evaluating or saving (optim/schedule_free.hpp).

#include <array>
#include <cstdint>

#include <xgrad/optim/schedule_free.hpp>

namespace xg::optim {

struct SGDScheduleFreeOptions {
  double lr = 1.0;
  double momentum = 0.9;  // in (0, 1)
  double weight_decay = 0;
  std::int64_t warmup_steps = 0;  // a linear warm-up of the lr over these steps
  double r = 0;                   // the average weighs step t by t^r
  double weight_lr_power = 2;     // ... and by lr_max^weight_lr_power
};

template <class Scalar>
class SGDScheduleFree final : public ScheduleFree<Scalar, SGDScheduleFreeOptions, SGDScheduleFree<Scalar>> {
 public:
  using ScheduleFree<Scalar, SGDScheduleFreeOptions, SGDScheduleFree<Scalar>>::ScheduleFree;

  static constexpr const char* name = "SGDScheduleFree";
  static constexpr std::array<const char*, 3> state_names{"z", "x", "y"};

  static void for_each_option(auto& o, auto&& visit) {
    visit("lr", o.lr, Range::non_negative);
    visit("momentum", o.momentum, Range::unit_half_open);
    visit("weight_decay", o.weight_decay, Range::non_negative);
    visit("warmup_steps", o.warmup_steps, Range::non_negative);
    visit("r", o.r);
    visit("weight_lr_power", o.weight_lr_power, Range::non_negative);
  }
  // The reference refuses a momentum of 0 as of 1.
  static void check_constraints(const SGDScheduleFreeOptions& o);
  static void update(const SGDScheduleFreeOptions& o, ParamState<Scalar>& state, Array<Scalar>& param,
                     const Gradient<Scalar>& grad);
};

XGRAD_DECLARE_OPTIMIZER(SGDScheduleFree, SGDScheduleFreeOptions);

}  // namespace xg::optim
