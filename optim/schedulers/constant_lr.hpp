#pragma once
// torch.optim.lr_scheduler.ConstantLR, a warm-up at a reduced lr: the lr is
// scaled by `factor` for the first total_iters epochs, then is the base lr,
// lr = base_lr * (factor + (epoch >= total_iters) * (1 - factor)).

#include <xgrad/optim/schedulers/lr_scheduler.hpp>

namespace xg::optim {

struct ConstantLROptions {
  double factor = 1.0 / 3;  // in [0, 1]
  long total_iters = 5;
};

class ConstantLR : public LRScheduler {
 public:
  ConstantLR(OptimizerBase& optimizer, const ConstantLROptions& options = {});
  const ConstantLROptions& options() const { return options_; }

 protected:
  double compute_lr(long epoch, std::size_t group) const override;

 private:
  ConstantLROptions options_;
};

}  // namespace xg::optim
