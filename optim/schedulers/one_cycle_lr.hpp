#pragma once
// torch.optim.lr_scheduler.OneCycleLR (Smith & Topin, "Super-Convergence"),
// stepped once per batch for total_steps steps (or epochs * steps_per_epoch).
// The lr anneals from initial_lr = max_lr / div_factor up to max_lr over the
// first pct_start of the steps, then down to min_lr = initial_lr /
// final_div_factor at step total_steps - 1; the momentum moves the other way,
// between max_momentum and base_momentum. With three_phase the lr first
// comes back down to initial_lr symmetrically, then anneals to min_lr.
//
// Phase ends are PyTorch's: pct_start * total_steps - 1, (three_phase:
// 2 * pct_start * total_steps - 2), total_steps - 1; within a phase
// pct = (t - start) / (end - start). As in PyTorch, step total_steps is
// allowed (the last phase's curve continued one step) and the next throws.

#include <optional>
#include <vector>

#include <xgrad/optim/schedulers/lr_scheduler.hpp>
#include <xgrad/optim/schedulers/per_group.hpp>

namespace xg::optim {

// The curve within a phase: half a cosine period, or a straight line.
enum class AnnealStrategy { cos, linear };

struct OneCycleLROptions {
  PerGroup<double> max_lr;  // required
  std::optional<long> total_steps;
  std::optional<long> epochs;  // with steps_per_epoch, when total_steps is empty
  std::optional<long> steps_per_epoch;
  double pct_start = 0.3;
  AnnealStrategy anneal_strategy = AnnealStrategy::cos;
  // Needs an optimizer with a momentum (SGD, RMSprop) or a beta1 (the Adam
  // family).
  bool cycle_momentum = true;
  PerGroup<double> base_momentum = 0.85;
  PerGroup<double> max_momentum = 0.95;
  double div_factor = 25.0;
  double final_div_factor = 1e4;
  bool three_phase = false;
};

class OneCycleLR : public LRScheduler {
 public:
  OneCycleLR(OptimizerBase& optimizer, const OneCycleLROptions& options);
  long total_steps() const { return total_steps_; }

 protected:
  double compute_lr(long epoch, std::size_t group) const override;
  std::optional<double> compute_momentum(long epoch, std::size_t group) const override;

 private:
  // What a phase anneals between, per group.
  struct Levels {
    double initial_lr, max_lr, min_lr, base_momentum, max_momentum;
  };
  struct Phase {
    double end_step;
    double Levels::*start_lr;
    double Levels::*end_lr;
    double Levels::*start_momentum;
    double Levels::*end_momentum;
  };
  // The phase holding `epoch` and how far through it the epoch is.
  std::pair<const Phase*, double> locate(long epoch) const;
  double anneal(double start, double end, double pct) const;

  long total_steps_;
  AnnealStrategy anneal_strategy_;
  bool cycle_momentum_;
  std::vector<Levels> levels_;
  std::vector<Phase> phases_;
};

}  // namespace xg::optim
