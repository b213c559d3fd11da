#pragma once
// torch.optim.lr_scheduler.ChainedScheduler: several schedules of one
// optimizer stepped together, each scaling the lr the one before it set,
// e.g. a constant warm-up factor over an exponential decay:
//
//   auto warmup = std::make_shared<ConstantLR>(opt, ConstantLROptions{.factor = 0.1, .total_iters = 20});
//   auto decay = std::make_shared<ExponentialLR>(opt, ExponentialLROptions{.gamma = 0.9});
//   ChainedScheduler sched(opt, {.schedulers = {warmup, decay}});
//
// In PyTorch each step() of the chain runs every schedule's recursion on the
// lr the previous one left. Here every schedule is a closed form, so the
// chain multiplies their factors:
//   lr(epoch) = base_lr * prod_i (schedulers[i].lr_at(epoch) / base_lr),
// which is PyTorch's chain for the schedules whose recursion multiplies the
// lr (StepLR, MultiStepLR, ExponentialLR, ConstantLR, LinearLR, PolynomialLR,
// MultiplicativeLR, LambdaLR). Schedules that set
// their own lr instead of scaling the optimizer's (CyclicLR, OneCycleLR) are
// refused. As in SequentialLR, every schedule scales the lr the optimizer had
// before the first of them changed it.

#include <memory>
#include <vector>

#include <xgrad/optim/schedulers/lr_scheduler.hpp>

namespace xg::optim {

struct ChainedSchedulerOptions {
  std::vector<std::shared_ptr<LRScheduler>> schedulers;  // of the same optimizer
};

class ChainedScheduler : public LRScheduler {
 public:
  ChainedScheduler(OptimizerBase& optimizer, ChainedSchedulerOptions options);
  const std::vector<std::shared_ptr<LRScheduler>>& schedulers() const { return options_.schedulers; }

 protected:
  double compute_lr(long epoch, std::size_t group) const override;
  // Advances every schedule's own epoch and last lr with the chain's.
  void apply(long epoch) override;
  void rebase(const std::vector<double>& base_lrs) override;
  const Schedulers& nested() const override { return options_.schedulers; }

 private:
  // Whether the schedule's lr is a factor times the optimizer's (not
  // CyclicLR's or OneCycleLR's own), or made of such schedules.
  static bool scales_optimizer_lr(const LRScheduler& scheduler);

  ChainedSchedulerOptions options_;
};

}  // namespace xg::optim
