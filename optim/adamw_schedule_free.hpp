#pragma once
// Schedule-Free AdamW (Defazio et al. 2024), AlgoPerf 2024's winner in its
// self-tuning track: Adam's normalised step on the schedule-free sequences;
// call train() before training and eval() before evaluating or saving
// (optim/schedule_free.hpp).

#include <array>
#include <cstdint>

#include <xgrad/optim/schedule_free.hpp>

namespace xg::optim {

struct AdamWScheduleFreeOptions {
  double lr = 0.0025;
  std::array<double, 2> betas{0.9, 0.999};  // the interpolation of y, the second moment's decay
  double eps = 1e-8;
  double weight_decay = 0;  // decoupled, taken at y
  std::int64_t warmup_steps = 0;
  double r = 0;
  double weight_lr_power = 2;
};

template <class Scalar>
class AdamWScheduleFree final : public ScheduleFree<Scalar, AdamWScheduleFreeOptions, AdamWScheduleFree<Scalar>> {
 public:
  using ScheduleFree<Scalar, AdamWScheduleFreeOptions, AdamWScheduleFree<Scalar>>::ScheduleFree;

  static constexpr const char* name = "AdamWScheduleFree";
  static constexpr std::array<const char*, 4> state_names{"z", "x", "y", "exp_avg_sq"};
  static constexpr std::array<const char*, 1> non_negative_state{"exp_avg_sq"};

  static void for_each_option(auto& o, auto&& visit) {
    visit("lr", o.lr, Range::non_negative);
    visit("betas", o.betas, Range::unit_half_open);
    visit("eps", o.eps, Range::positive);
    visit("weight_decay", o.weight_decay, Range::non_negative);
    visit("warmup_steps", o.warmup_steps, Range::non_negative);
    visit("r", o.r);
    visit("weight_lr_power", o.weight_lr_power, Range::non_negative);
  }
  static void update(const AdamWScheduleFreeOptions& o, ParamState<Scalar>& state, Array<Scalar>& param,
                     const Gradient<Scalar>& grad);
};

XGRAD_DECLARE_OPTIMIZER(AdamWScheduleFree, AdamWScheduleFreeOptions);

}  // namespace xg::optim
