#pragma once
// torch.optim.lr_scheduler.StepLR: the lr times gamma every step_size epochs,
// lr = base_lr * gamma^floor(epoch / step_size).

#include <xgrad/optim/schedulers/lr_scheduler.hpp>
#include <xgrad/optim/schedules.hpp>

namespace xg::optim {

struct StepLROptions {
  long step_size = 0;  // required, positive
  double gamma = 0.1;
};

class StepLR : public LRScheduler {
 public:
  StepLR(OptimizerBase& optimizer, const StepLROptions& options);
  const StepLROptions& options() const { return options_; }

 protected:
  double compute_lr(long epoch, std::size_t group) const override;

 private:
  StepLROptions options_;
  schedules::Schedule factor_;
};

}  // namespace xg::optim
