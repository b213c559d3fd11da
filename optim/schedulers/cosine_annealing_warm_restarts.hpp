#pragma once
// torch.optim.lr_scheduler.CosineAnnealingWarmRestarts (SGDR): cosine
// annealing from base_lr to eta_min over T_i epochs, then back to base_lr.
// The first period is T_0 and each next one T_mult times longer:
// lr = eta_min + (base_lr - eta_min) * (1 + cos(pi * T_cur / T_i)) / 2, with
// T_cur the epochs since the last restart (0 at a restart).

#include <xgrad/optim/schedulers/lr_scheduler.hpp>

namespace xg::optim {

struct CosineAnnealingWarmRestartsOptions {
  long T_0 = 0;  // required, positive
  long T_mult = 1;
  double eta_min = 0.0;
};

class CosineAnnealingWarmRestarts : public LRScheduler {
 public:
  CosineAnnealingWarmRestarts(OptimizerBase& optimizer, const CosineAnnealingWarmRestartsOptions& options);
  const CosineAnnealingWarmRestartsOptions& options() const { return options_; }

 protected:
  double compute_lr(long epoch, std::size_t group) const override;

 private:
  CosineAnnealingWarmRestartsOptions options_;
};

}  // namespace xg::optim
