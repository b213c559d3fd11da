#pragma once
// torch.optim.lr_scheduler.LambdaLR: lr = base_lr * lr_lambda(epoch), with
// one function for all param groups or one per group.
//
//   LambdaLR sched(opt, {.lr_lambda = [](long epoch) { return std::pow(0.95, epoch); }});
//
// The functions are not part of the saved state (PyTorch saves them only when
// they are objects with attributes): construct the schedule with the same
// ones before loading.

#include <functional>

#include <xgrad/optim/schedulers/lr_scheduler.hpp>
#include <xgrad/optim/schedulers/per_group.hpp>

namespace xg::optim {

struct LambdaLROptions {
  PerGroup<std::function<double(long epoch)>> lr_lambda;  // required
};

class LambdaLR : public LRScheduler {
 public:
  LambdaLR(OptimizerBase& optimizer, const LambdaLROptions& options);

 protected:
  double compute_lr(long epoch, std::size_t group) const override;

 private:
  std::vector<std::function<double(long)>> lr_lambdas_;
};

}  // namespace xg::optim
