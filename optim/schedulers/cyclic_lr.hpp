#pragma once
// torch.optim.lr_scheduler.CyclicLR (Smith, "Cyclical Learning Rates for
// Training Neural Networks"), stepped once per batch. Each cycle rises from
// base_lr towards max_lr over step_size_up steps and falls back over
// step_size_down steps:
//   cycle = floor(1 + t / (up + down)),  x = position in the cycle in [0, 1),
//   s = x / r while x <= r, else (x - 1) / (r - 1),  r = up / (up + down),
//   lr = base_lr + (max_lr - base_lr) * s * scale_fn(cycle or t).
// The momentum moves the other way, from max_momentum down towards
// base_momentum: momentum = max_momentum - (max_momentum - base_momentum) * s * scale_fn.
//
//   CyclicLR sched(opt, {.base_lr = 0.001, .max_lr = 0.1, .step_size_up = 20,
//                        .mode = CyclicLRMode::triangular2});

#include <functional>
#include <optional>
#include <vector>

#include <xgrad/optim/schedulers/lr_scheduler.hpp>
#include <xgrad/optim/schedulers/per_group.hpp>

namespace xg::optim {

// The amplitude of cycle c at step t: triangular keeps it (1), triangular2
// halves it every cycle (1 / 2^(c - 1)), exp_range shrinks it every step
// (gamma^t).
enum class CyclicLRMode { triangular, triangular2, exp_range };
// What a custom scale_fn receives: the cycle number (from 1) or the step.
enum class CyclicLRScaleMode { cycle, iterations };

struct CyclicLROptions {
  PerGroup<double> base_lr;  // required
  PerGroup<double> max_lr;   // required
  long step_size_up = 2000;
  std::optional<long> step_size_down;  // step_size_up when empty
  CyclicLRMode mode = CyclicLRMode::triangular;
  double gamma = 1.0;  // of exp_range
  // Replaces `mode` when set; receives what scale_mode says. Built-in modes
  // fix their own scale_mode, as in PyTorch.
  std::function<double(double)> scale_fn;
  CyclicLRScaleMode scale_mode = CyclicLRScaleMode::cycle;
  // Needs an optimizer with a momentum (SGD, RMSprop) or a beta1 (the Adam
  // family); it starts at max_momentum.
  bool cycle_momentum = true;
  PerGroup<double> base_momentum = 0.8;
  PerGroup<double> max_momentum = 0.9;
};

class CyclicLR : public LRScheduler {
 public:
  CyclicLR(OptimizerBase& optimizer, const CyclicLROptions& options);

 protected:
  double compute_lr(long epoch, std::size_t group) const override;
  std::optional<double> compute_momentum(long epoch, std::size_t group) const override;

 private:
  struct Phase {
    double rise;   // s above, in [0, 1]
    double scale;  // scale_fn of the cycle or step
  };
  Phase phase(long epoch) const;

  std::vector<double> max_lrs_;
  long step_size_up_;
  long step_size_down_;
  CyclicLRMode mode_;
  double gamma_;
  std::function<double(double)> scale_fn_;
  CyclicLRScaleMode scale_mode_;
  bool cycle_momentum_;
  std::vector<double> base_momentums_;
  std::vector<double> max_momentums_;
};

}  // namespace xg::optim
