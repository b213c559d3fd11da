#pragma once
// torch.optim.lr_scheduler.ExponentialLR: lr = base_lr * gamma^epoch.

#include <xgrad/optim/schedulers/lr_scheduler.hpp>
#include <xgrad/optim/schedules.hpp>

namespace xg::optim {

struct ExponentialLROptions {
  double gamma = 0.0;  // required, positive
};

class ExponentialLR : public LRScheduler {
 public:
  ExponentialLR(OptimizerBase& optimizer, const ExponentialLROptions& options);
  const ExponentialLROptions& options() const { return options_; }

 protected:
  double compute_lr(long epoch, std::size_t group) const override;

 private:
  ExponentialLROptions options_;
  schedules::Schedule factor_;
};

}  // namespace xg::optim
