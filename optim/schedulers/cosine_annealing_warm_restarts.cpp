#include <xgrad/optim/schedulers/cosine_annealing_warm_restarts.hpp>

#include <limits>
#include <string>

#include <xgrad/core/error.hpp>
#include <xgrad/optim/schedules.hpp>

namespace xg::optim {

CosineAnnealingWarmRestarts::CosineAnnealingWarmRestarts(OptimizerBase& optimizer,
                                                         const CosineAnnealingWarmRestartsOptions& options)
    : LRScheduler(optimizer, "CosineAnnealingWarmRestarts"), options_(options) {
  if (options.T_0 <= 0)
    throw_invalid_argument("CosineAnnealingWarmRestarts", "T_0 must be positive, got " + std::to_string(options.T_0));
  if (options.T_mult < 1)
    throw_invalid_argument("CosineAnnealingWarmRestarts",
                           "T_mult must be at least 1, got " + std::to_string(options.T_mult));
  initial_step();
}

// T_cur and T_i in integers, walking the restarts: PyTorch's closed form
// through log(epoch / T_0 * (T_mult - 1) + 1, T_mult) can round a restart
// epoch into the previous period.
double CosineAnnealingWarmRestarts::compute_lr(long epoch, std::size_t group) const {
  const long T_mult = options_.T_mult;
  long restart = 0;
  long T_i = options_.T_0;
  double period = static_cast<double>(T_i);
  if (T_mult == 1) {
    restart = epoch - epoch % T_i;
  } else {
    while (epoch - restart >= T_i) {
      restart += T_i;
      if (T_i > std::numeric_limits<long>::max() / T_mult) {
        // The next period outlasts any epoch a long can count.
        period = static_cast<double>(T_i) * static_cast<double>(T_mult);
        break;
      }
      T_i *= T_mult;
      period = static_cast<double>(T_i);
    }
  }
  return schedules::cosine_annealing(base_lrs()[group], options_.eta_min,
                                     static_cast<double>(epoch - restart) / period);
}

}  // namespace xg::optim
