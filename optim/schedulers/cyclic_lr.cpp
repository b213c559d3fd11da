#include <xgrad/optim/schedulers/cyclic_lr.hpp>

#include <cmath>
#include <limits>
#include <string>

#include <xgrad/core/error.hpp>
#include <xgrad/core/message.hpp>

namespace xg::optim {

CyclicLR::CyclicLR(OptimizerBase& optimizer, const CyclicLROptions& options)
    : LRScheduler(optimizer, "CyclicLR", options.base_lr.resolve(optimizer.num_param_groups(), "CyclicLR: base_lr")),
      max_lrs_(options.max_lr.resolve(optimizer.num_param_groups(), "CyclicLR: max_lr")),
      step_size_up_(options.step_size_up),
      step_size_down_(options.step_size_down.value_or(options.step_size_up)),
      mode_(options.mode),
      gamma_(options.gamma),
      scale_fn_(options.scale_fn),
      scale_mode_(options.scale_fn                          ? options.scale_mode
                  : options.mode == CyclicLRMode::exp_range ? CyclicLRScaleMode::iterations
                                                            : CyclicLRScaleMode::cycle),
      cycle_momentum_(options.cycle_momentum) {
  if (step_size_up_ <= 0)
    throw_invalid_argument("CyclicLR", "step_size_up must be positive, got " + std::to_string(step_size_up_));
  if (step_size_down_ < 0)
    throw_invalid_argument("CyclicLR", "step_size_down must be non-negative, got " + std::to_string(step_size_down_));
  // A cycle of up + down steps must itself be a long (phase() divides by it).
  if (step_size_down_ > std::numeric_limits<long>::max() - step_size_up_)
    throw_invalid_argument("CyclicLR", "step_size_up + step_size_down must fit a long, got " +
                                           std::to_string(step_size_up_) + " + " + std::to_string(step_size_down_));
  if (!(gamma_ > 0.0)) throw_invalid_argument("CyclicLR", "gamma must be positive, got " + number_text(gamma_));
  if (cycle_momentum_) {
    for (std::size_t g = 0; g < optimizer.num_param_groups(); ++g)
      if (!optimizer.momentum(g))
        throw_invalid_argument("CyclicLR",
                               "cycle_momentum needs an optimizer with a momentum or beta1, and param group " +
                                   std::to_string(g) + " has none; set .cycle_momentum = false");
    base_momentums_ = options.base_momentum.resolve(optimizer.num_param_groups(), "CyclicLR: base_momentum");
    max_momentums_ = options.max_momentum.resolve(optimizer.num_param_groups(), "CyclicLR: max_momentum");
  }
  initial_step();
}

CyclicLR::Phase CyclicLR::phase(long epoch) const {
  // In integers, so that a cycle boundary is exact at any epoch.
  const long total = step_size_up_ + step_size_down_;
  const long cycle = 1 + epoch / total;
  const long position = epoch - (cycle - 1) * total;
  const double rise = position <= step_size_up_
                          ? static_cast<double>(position) / static_cast<double>(step_size_up_)
                          : static_cast<double>(total - position) / static_cast<double>(step_size_down_);
  const double x = static_cast<double>(scale_mode_ == CyclicLRScaleMode::cycle ? cycle : epoch);
  if (scale_fn_) return {rise, scale_fn_(x)};
  switch (mode_) {
    case CyclicLRMode::triangular2: return {rise, 1.0 / std::pow(2.0, x - 1.0)};
    case CyclicLRMode::exp_range: return {rise, std::pow(gamma_, x)};
    case CyclicLRMode::triangular: break;
  }
  return {rise, 1.0};
}

double CyclicLR::compute_lr(long epoch, std::size_t group) const {
  const Phase p = phase(epoch);
  const double base_lr = base_lrs()[group];
  return base_lr + (max_lrs_[group] - base_lr) * p.rise * p.scale;
}

std::optional<double> CyclicLR::compute_momentum(long epoch, std::size_t group) const {
  if (!cycle_momentum_) return std::nullopt;
  const Phase p = phase(epoch);
  return max_momentums_[group] - (max_momentums_[group] - base_momentums_[group]) * p.rise * p.scale;
}

}  // namespace xg::optim
