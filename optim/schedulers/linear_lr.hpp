#pragma once
// torch.optim.lr_scheduler.LinearLR, the usual warm-up: the lr's factor goes
// linearly from start_factor to end_factor over total_iters epochs, then
// stays, lr = base_lr * (start + (end - start) * min(epoch, total_iters) / total_iters).

#include <xgrad/optim/schedulers/lr_scheduler.hpp>
#include <xgrad/optim/schedules.hpp>

namespace xg::optim {

struct LinearLROptions {
  double start_factor = 1.0 / 3;  // in (0, 1]
  double end_factor = 1.0;        // in [0, 1]
  long total_iters = 5;
};

class LinearLR : public LRScheduler {
 public:
  LinearLR(OptimizerBase& optimizer, const LinearLROptions& options = {});
  const LinearLROptions& options() const { return options_; }

 protected:
  double compute_lr(long epoch, std::size_t group) const override;

 private:
  LinearLROptions options_;
  schedules::Schedule factor_;
};

}  // namespace xg::optim
