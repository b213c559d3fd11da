#pragma once
// torch.optim.lr_scheduler.MultiplicativeLR: each epoch multiplies the lr by
// lr_lambda(epoch), with one function for all param groups or one per group:
//   lr_0 = base_lr,  lr_e = lr_{e-1} * lr_lambda(e),
// so lr_e = base_lr * lr_lambda(1) * ... * lr_lambda(e), multiplied in that
// order, which is PyTorch's recursion to the last bit.
//
//   MultiplicativeLR sched(opt, {.lr_lambda = [](long) { return 0.95; }});
//
// lr_lambda must depend on the epoch alone: the product is recomputed from
// epoch 1 when an earlier epoch is asked for or after loading a state. As
// with LambdaLR, the functions are not saved: construct the schedule with the
// same ones before loading.

#include <functional>
#include <vector>

#include <xgrad/optim/schedulers/lr_scheduler.hpp>
#include <xgrad/optim/schedulers/per_group.hpp>

namespace xg::optim {

struct MultiplicativeLROptions {
  PerGroup<std::function<double(long epoch)>> lr_lambda;  // required
};

class MultiplicativeLR : public LRScheduler {
 public:
  MultiplicativeLR(OptimizerBase& optimizer, const MultiplicativeLROptions& options);

 protected:
  double compute_lr(long epoch, std::size_t group) const override;

 private:
  std::vector<std::function<double(long)>> lr_lambdas_;
  // The last product computed for each group: stepping one epoch on costs
  // one multiplication instead of `epoch`. Recomputed when the base lr
  // changed (a loaded state, SequentialLR's rebase).
  struct Product {
    double base_lr;
    long epoch;
    double lr;
  };
  mutable std::vector<Product> last_product_;
};

}  // namespace xg::optim
