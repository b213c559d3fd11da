#include <xgrad/optim/schedulers/linear_lr.hpp>

#include <string>

#include <xgrad/core/error.hpp>
#include <xgrad/optim/schedulers/number_text.hpp>

namespace xg::optim {

LinearLR::LinearLR(OptimizerBase& optimizer, const LinearLROptions& options)
    : LRScheduler(optimizer, "LinearLR"), options_(options) {
  if (!(options.start_factor > 0.0 && options.start_factor <= 1.0))
    throw_invalid_argument("LinearLR",
                           "start_factor must be in (0, 1], got " + detail::number_text(options.start_factor));
  if (!(options.end_factor >= 0.0 && options.end_factor <= 1.0))
    throw_invalid_argument("LinearLR", "end_factor must be in [0, 1], got " + detail::number_text(options.end_factor));
  if (options.total_iters <= 0)
    throw_invalid_argument("LinearLR", "total_iters must be positive, got " + std::to_string(options.total_iters));
  factor_ = schedules::linear_schedule(options.start_factor, options.end_factor, options.total_iters);
  initial_step();
}

double LinearLR::compute_lr(long epoch, std::size_t group) const { return base_lrs()[group] * factor_(epoch); }

}  // namespace xg::optim
