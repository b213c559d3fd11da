#pragma once
// torch.optim.swa_utils.SWALR, the schedule of Stochastic Weight Averaging:
// from the lr the optimizer has when SWALR first steps, over anneal_epochs
// epochs to swa_lr (per group), then swa_lr:
//   lr(e) = swa_lr·α + lr₀·(1 − α),  α = f(min(1, e / anneal_epochs)),
//   f(t) = (1 − cos(πt)) / 2 for cos, t for linear; α = 1 when anneal_epochs = 0.
// PyTorch's recursion recovers lr₀ each step from the lr it set last; the
// closed form takes lr₀ from the optimizer at the first step(), so SWALR may
// be constructed at the start of training and stepped only from swa_start on,
// after another schedule, as in PyTorch's example.
//
//   SWALR swa_sched(opt, {.swa_lr = 0.05, .anneal_epochs = 5, .anneal_strategy = AnnealStrategy::linear});

#include <vector>

#include <xgrad/optim/schedulers/lr_scheduler.hpp>
#include <xgrad/optim/schedulers/one_cycle_lr.hpp>
#include <xgrad/optim/schedulers/per_group.hpp>

namespace xg::optim {

struct SWALROptions {
  PerGroup<double> swa_lr;  // required
  long anneal_epochs = 10;  // non-negative
  AnnealStrategy anneal_strategy = AnnealStrategy::cos;
};

class SWALR : public LRScheduler {
 public:
  SWALR(OptimizerBase& optimizer, const SWALROptions& options);

 protected:
  double compute_lr(long epoch, std::size_t group) const override;
  // At the first step the annealing starts from the optimizer's lr.
  void apply(long epoch) override;

 private:
  std::vector<double> swa_lrs_;
  long anneal_epochs_;
  AnnealStrategy anneal_strategy_;
};

}  // namespace xg::optim
