#include <xgrad/optim/schedulers/step_lr.hpp>

#include <string>

#include <xgrad/core/error.hpp>
#include <xgrad/optim/schedulers/number_text.hpp>

namespace xg::optim {

StepLR::StepLR(OptimizerBase& optimizer, const StepLROptions& options)
    : LRScheduler(optimizer, "StepLR"), options_(options) {
  if (options.step_size <= 0)
    throw_invalid_argument("StepLR", "step_size must be positive, got " + std::to_string(options.step_size));
  if (!(options.gamma > 0.0))
    throw_invalid_argument("StepLR", "gamma must be positive, got " + detail::number_text(options.gamma));
  factor_ = schedules::exponential_decay(1.0, options.step_size, options.gamma, 0, /*staircase=*/true);
  initial_step();
}

double StepLR::compute_lr(long epoch, std::size_t group) const { return base_lrs()[group] * factor_(epoch); }

}  // namespace xg::optim
