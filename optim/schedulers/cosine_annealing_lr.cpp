#include <xgrad/optim/schedulers/cosine_annealing_lr.hpp>

#include <string>

#include <xgrad/core/error.hpp>
#include <xgrad/optim/schedules.hpp>

namespace xg::optim {

CosineAnnealingLR::CosineAnnealingLR(OptimizerBase& optimizer, const CosineAnnealingLROptions& options)
    : LRScheduler(optimizer, "CosineAnnealingLR"), options_(options) {
  if (options.T_max <= 0)
    throw_invalid_argument("CosineAnnealingLR", "T_max must be positive, got " + std::to_string(options.T_max));
  initial_step();
}

double CosineAnnealingLR::compute_lr(long epoch, std::size_t group) const {
  return schedules::cosine_annealing(base_lrs()[group], options_.eta_min,
                                     static_cast<double>(epoch) / static_cast<double>(options_.T_max));
}

}  // namespace xg::optim
