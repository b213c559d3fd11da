#include <xgrad/optim/schedulers/exponential_lr.hpp>

#include <xgrad/core/error.hpp>
#include <xgrad/optim/schedulers/number_text.hpp>

namespace xg::optim {

ExponentialLR::ExponentialLR(OptimizerBase& optimizer, const ExponentialLROptions& options)
    : LRScheduler(optimizer, "ExponentialLR"), options_(options) {
  if (!(options.gamma > 0.0))
    throw_invalid_argument("ExponentialLR",
                           "gamma is required and must be positive, got " + detail::number_text(options.gamma));
  factor_ = schedules::exponential_decay(1.0, 1, options.gamma);
  initial_step();
}

double ExponentialLR::compute_lr(long epoch, std::size_t group) const { return base_lrs()[group] * factor_(epoch); }

}  // namespace xg::optim
