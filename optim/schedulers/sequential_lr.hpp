#pragma once
// torch.optim.lr_scheduler.SequentialLR: one schedule, then from each
// milestone the next one, restarted at its own epoch 0; typically a warm-up
// and then the real schedule:
//
//   auto warmup = std::make_shared<LinearLR>(opt, LinearLROptions{.start_factor = 0.1, .total_iters = 5});
//   auto decay = std::make_shared<CosineAnnealingLR>(opt, CosineAnnealingLROptions{.T_max = 95});
//   SequentialLR sched(opt, {.schedulers = {warmup, decay}, .milestones = {5}});
//
// lr(epoch) = schedulers[i].lr_at(epoch - milestones[i - 1]) with i the
// number of milestones <= epoch. Every schedule scales the lr the optimizer
// had before the first of them changed it (PyTorch's `initial_lr`), not the
// one it found when constructed; schedules that set their own base lr
// (CyclicLR, OneCycleLR) keep it.

#include <memory>
#include <vector>

#include <xgrad/optim/schedulers/lr_scheduler.hpp>

namespace xg::optim {

struct SequentialLROptions {
  std::vector<std::shared_ptr<LRScheduler>> schedulers;  // of the same optimizer
  std::vector<long> milestones;                          // increasing and positive, one fewer than schedulers
};

class SequentialLR : public LRScheduler {
 public:
  SequentialLR(OptimizerBase& optimizer, SequentialLROptions options);
  const std::vector<std::shared_ptr<LRScheduler>>& schedulers() const { return options_.schedulers; }
  const std::vector<long>& milestones() const { return options_.milestones; }

 protected:
  double compute_lr(long epoch, std::size_t group) const override;
  std::optional<double> compute_momentum(long epoch, std::size_t group) const override;
  // Steps the active schedule, so that its own epoch and last lr follow.
  void apply(long epoch) override;
  void rebase(const std::vector<double>& base_lrs) override;
  const Schedulers& nested() const override { return options_.schedulers; }

 private:
  // The schedule active at `epoch`, and the epoch in its own count.
  std::pair<LRScheduler*, long> active(long epoch) const;

  SequentialLROptions options_;
};

}  // namespace xg::optim
