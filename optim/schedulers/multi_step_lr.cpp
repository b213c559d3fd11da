#include <xgrad/optim/schedulers/multi_step_lr.hpp>

#include <map>
#include <string>

#include <xgrad/core/error.hpp>
#include <xgrad/optim/schedulers/number_text.hpp>

namespace xg::optim {

MultiStepLR::MultiStepLR(OptimizerBase& optimizer, const MultiStepLROptions& options)
    : LRScheduler(optimizer, "MultiStepLR"), options_(options) {
  if (!(options.gamma > 0.0))
    throw_invalid_argument("MultiStepLR", "gamma must be positive, got " + detail::number_text(options.gamma));
  std::map<long, double> scales;
  for (long milestone : options.milestones) {
    if (milestone < 0)
      throw_invalid_argument("MultiStepLR", "milestones must be non-negative, got " + std::to_string(milestone));
    auto [it, inserted] = scales.try_emplace(milestone, options.gamma);
    if (!inserted) it->second *= options.gamma;
  }
  factor_ = schedules::piecewise_constant_schedule(1.0, scales);
  initial_step();
}

double MultiStepLR::compute_lr(long epoch, std::size_t group) const { return base_lrs()[group] * factor_(epoch); }

}  // namespace xg::optim
