#include <xgrad/optim/schedulers/constant_lr.hpp>

#include <string>

#include <xgrad/core/error.hpp>
#include <xgrad/optim/schedulers/number_text.hpp>

namespace xg::optim {

ConstantLR::ConstantLR(OptimizerBase& optimizer, const ConstantLROptions& options)
    : LRScheduler(optimizer, "ConstantLR"), options_(options) {
  if (!(options.factor >= 0.0 && options.factor <= 1.0))
    throw_invalid_argument("ConstantLR", "factor must be in [0, 1], got " + detail::number_text(options.factor));
  if (options.total_iters < 0)
    throw_invalid_argument("ConstantLR",
                           "total_iters must be non-negative, got " + std::to_string(options.total_iters));
  initial_step();
}

double ConstantLR::compute_lr(long epoch, std::size_t group) const {
  return epoch < options_.total_iters ? base_lrs()[group] * options_.factor : base_lrs()[group];
}

}  // namespace xg::optim
