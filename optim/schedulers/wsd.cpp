#include <xgrad/optim/schedulers/wsd.hpp>

#include <cmath>
#include <stdexcept>
#include <string>

#include <xgrad/core/error.hpp>
#include <xgrad/core/message.hpp>

namespace xg::optim {

WSD::WSD(OptimizerBase& optimizer, const WSDOptions& options) : LRScheduler(optimizer, "WSD"), options_(options) {
  if (!(options.min_lr >= 0.0 && std::isfinite(options.min_lr)))
    throw_invalid_argument("WSD", "min_lr must be non-negative and finite, got " + number_text(options.min_lr));
  try {
    schedules::warmup_stable_decay_schedule(1.0, options.warmup_steps, options.stable_steps, options.decay_steps,
                                            options.decay, options.min_lr);
  } catch (const std::invalid_argument& e) {
    throw std::invalid_argument(std::string("WSD: ") + e.what());
  }
  initial_step();
}

double WSD::compute_lr(long epoch, std::size_t group) const {
  // Built per call because the peak is the group's base lr, which
  // SequentialLR and load_state may change.
  return schedules::warmup_stable_decay_schedule(base_lrs()[group], options_.warmup_steps, options_.stable_steps,
                                                 options_.decay_steps, options_.decay, options_.min_lr)(epoch);
}

}  // namespace xg::optim
