#include <xgrad/optim/schedulers/multiplicative_lr.hpp>

#include <string>

#include <xgrad/core/error.hpp>

namespace xg::optim {

MultiplicativeLR::MultiplicativeLR(OptimizerBase& optimizer, const MultiplicativeLROptions& options)
    : LRScheduler(optimizer, "MultiplicativeLR"),
      lr_lambdas_(options.lr_lambda.resolve(optimizer.num_param_groups(), "MultiplicativeLR: lr_lambda")),
      last_product_(lr_lambdas_.size(), Product{0.0, -1, 0.0}) {
  for (std::size_t g = 0; g < lr_lambdas_.size(); ++g)
    if (!lr_lambdas_[g])
      throw_invalid_argument("MultiplicativeLR", "lr_lambda of param group " + std::to_string(g) + " is empty");
  initial_step();
}

double MultiplicativeLR::compute_lr(long epoch, std::size_t group) const {
  Product& p = last_product_[group];
  if (p.epoch < 0 || p.epoch > epoch || p.base_lr != base_lrs()[group]) p = {base_lrs()[group], 0, base_lrs()[group]};
  for (; p.epoch < epoch; ++p.epoch) p.lr *= lr_lambdas_[group](p.epoch + 1);
  return p.lr;
}

}  // namespace xg::optim
