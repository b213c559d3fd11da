#pragma once
// torch.optim.lr_scheduler.MultiStepLR: the lr times gamma at each milestone,
// lr = base_lr * gamma^(number of milestones <= epoch). A milestone listed
// twice counts twice, as in PyTorch.

#include <vector>

#include <xgrad/optim/schedulers/lr_scheduler.hpp>
#include <xgrad/optim/schedules.hpp>

namespace xg::optim {

struct MultiStepLROptions {
  std::vector<long> milestones;  // epochs, in any order
  double gamma = 0.1;
};

class MultiStepLR : public LRScheduler {
 public:
  MultiStepLR(OptimizerBase& optimizer, const MultiStepLROptions& options);
  const MultiStepLROptions& options() const { return options_; }

 protected:
  double compute_lr(long epoch, std::size_t group) const override;

 private:
  MultiStepLROptions options_;
  schedules::Schedule factor_;
};

}  // namespace xg::optim
