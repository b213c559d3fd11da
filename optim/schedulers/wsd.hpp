#pragma once
// Warmup-stable-decay (Hägele et al. 2024, "Scaling Laws and Compute-Optimal
// Training Beyond Fixed Training Durations"; not in PyTorch): a linear
// warm-up from 0 to the base lr, the base lr for stable_steps, then a short
// decay to min_lr. Unlike a cosine schedule, the length of the run need not
// be fixed in advance: the stable phase can be continued and a decay started
// from any of its checkpoints. The paper's cool-downs are `linear` and
// `sqrt` (1 - sqrt(progress), its best); `cosine` for comparison. The curve
// is schedules::warmup_stable_decay_schedule with peak_value = base_lr.
//
//   WSD sched(opt, {.warmup_steps = 100, .stable_steps = 8000, .decay_steps = 1000,
//                   .decay = WSDDecay::sqrt});

#include <vector>

#include <xgrad/optim/schedule_functions.hpp>
#include <xgrad/optim/schedulers/lr_scheduler.hpp>

namespace xg::optim {

using schedules::WSDDecay;

struct WSDOptions {
  long warmup_steps = 0;  // non-negative
  long stable_steps = 0;  // non-negative
  long decay_steps = 0;   // required, positive
  WSDDecay decay = WSDDecay::linear;
  double min_lr = 0.0;  // the lr at the end of the decay, for every group
};

class WSD : public LRScheduler {
 public:
  WSD(OptimizerBase& optimizer, const WSDOptions& options);
  const WSDOptions& options() const { return options_; }

 protected:
  double compute_lr(long epoch, std::size_t group) const override;

 private:
  WSDOptions options_;
};

}  // namespace xg::optim
