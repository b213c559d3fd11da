#include <xgrad/optim/schedulers/lambda_lr.hpp>

#include <string>

#include <xgrad/core/error.hpp>

namespace xg::optim {

LambdaLR::LambdaLR(OptimizerBase& optimizer, const LambdaLROptions& options)
    : LRScheduler(optimizer, "LambdaLR"),
      lr_lambdas_(options.lr_lambda.resolve(optimizer.num_param_groups(), "LambdaLR: lr_lambda")) {
  for (std::size_t g = 0; g < lr_lambdas_.size(); ++g)
    if (!lr_lambdas_[g])
      throw_invalid_argument("LambdaLR", "lr_lambda of param group " + std::to_string(g) + " is empty");
  initial_step();
}

double LambdaLR::compute_lr(long epoch, std::size_t group) const {
  return base_lrs()[group] * lr_lambdas_[group](epoch);
}

}  // namespace xg::optim
