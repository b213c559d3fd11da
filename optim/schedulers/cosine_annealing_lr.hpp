#pragma once
// torch.optim.lr_scheduler.CosineAnnealingLR, in the closed form of SGDR:
// lr = eta_min + (base_lr - eta_min) * (1 + cos(pi * epoch / T_max)) / 2.
//
// PyTorch documents and steps a recursive form, lr_{t+1} from lr_t, with a
// special case at epoch = (2k + 1) T_max where its ratio would divide by
// zero. Both give the same sequence (past T_max the lr climbs back along the
// same cosine, period 2 T_max) as long as nothing else changes the lr; the
// closed form is followed here, as by every schedule in xgrad.

#include <xgrad/optim/schedulers/lr_scheduler.hpp>

namespace xg::optim {

struct CosineAnnealingLROptions {
  long T_max = 0;  // required, positive
  double eta_min = 0.0;
};

class CosineAnnealingLR : public LRScheduler {
 public:
  CosineAnnealingLR(OptimizerBase& optimizer, const CosineAnnealingLROptions& options);
  const CosineAnnealingLROptions& options() const { return options_; }

 protected:
  double compute_lr(long epoch, std::size_t group) const override;

 private:
  CosineAnnealingLROptions options_;
};

}  // namespace xg::optim
