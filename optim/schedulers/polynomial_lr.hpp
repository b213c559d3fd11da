#pragma once
// torch.optim.lr_scheduler.PolynomialLR: the lr falls to zero over
// total_iters epochs along a polynomial and stays there,
// lr = base_lr * (1 - min(epoch, total_iters) / total_iters)^power.

#include <xgrad/optim/schedulers/lr_scheduler.hpp>

namespace xg::optim {

struct PolynomialLROptions {
  long total_iters = 5;  // positive
  double power = 1.0;    // non-negative
};

class PolynomialLR : public LRScheduler {
 public:
  PolynomialLR(OptimizerBase& optimizer, const PolynomialLROptions& options = {});
  const PolynomialLROptions& options() const { return options_; }

 protected:
  double compute_lr(long epoch, std::size_t group) const override;

 private:
  PolynomialLROptions options_;
};

}  // namespace xg::optim
