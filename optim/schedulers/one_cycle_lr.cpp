#include <xgrad/optim/schedulers/one_cycle_lr.hpp>

#include <cmath>
#include <limits>
#include <stdexcept>
#include <string>
#include <utility>

#include <xgrad/core/error.hpp>
#include <xgrad/core/message.hpp>
#include <xgrad/optim/schedule_functions.hpp>

namespace xg::optim {

namespace {

const char* const op = "OneCycleLR";

long checked_total_steps(const OneCycleLROptions& options) {
  if (options.total_steps) {
    if (*options.total_steps <= 0)
      throw_invalid_argument(op, "total_steps must be positive, got " + std::to_string(*options.total_steps));
    return *options.total_steps;
  }
  if (!options.epochs || !options.steps_per_epoch)
    throw_invalid_argument(op, "needs total_steps, or both epochs and steps_per_epoch");
  const long epochs = *options.epochs;
  const long steps_per_epoch = *options.steps_per_epoch;
  if (epochs <= 0) throw_invalid_argument(op, "epochs must be positive, got " + std::to_string(epochs));
  if (steps_per_epoch <= 0)
    throw_invalid_argument(op, "steps_per_epoch must be positive, got " + std::to_string(steps_per_epoch));
  if (epochs > std::numeric_limits<long>::max() / steps_per_epoch)
    throw_invalid_argument(op, "epochs * steps_per_epoch overflows");
  return epochs * steps_per_epoch;
}

std::vector<double> initial_lrs(const OptimizerBase& optimizer, const OneCycleLROptions& options) {
  if (!(options.div_factor > 0.0))
    throw_invalid_argument(op, "div_factor must be positive, got " + number_text(options.div_factor));
  std::vector<double> lrs = options.max_lr.resolve(optimizer.num_param_groups(), "OneCycleLR: max_lr");
  for (double& lr : lrs) lr /= options.div_factor;
  return lrs;
}

}  // namespace

OneCycleLR::OneCycleLR(OptimizerBase& optimizer, const OneCycleLROptions& options)
    : LRScheduler(optimizer, "OneCycleLR", initial_lrs(optimizer, options)),
      total_steps_(checked_total_steps(options)),
      anneal_strategy_(options.anneal_strategy),
      cycle_momentum_(options.cycle_momentum) {
  if (!(options.pct_start >= 0.0 && options.pct_start <= 1.0))
    throw_invalid_argument(op, "pct_start must be in [0, 1], got " + number_text(options.pct_start));
  if (!(options.final_div_factor > 0.0))
    throw_invalid_argument(op, "final_div_factor must be positive, got " + number_text(options.final_div_factor));

  const std::size_t groups = optimizer.num_param_groups();
  const std::vector<double> max_lrs = options.max_lr.resolve(groups, "OneCycleLR: max_lr");
  std::vector<double> base_momenta(groups, 0.0), max_momenta(groups, 0.0);
  if (cycle_momentum_) {
    for (std::size_t g = 0; g < groups; ++g)
      if (!optimizer.momentum(g))
        throw_invalid_argument(op, "cycle_momentum needs an optimizer with a momentum or beta1, and param group " +
                                       std::to_string(g) + " has none; set .cycle_momentum = false");
    base_momenta = options.base_momentum.resolve(groups, "OneCycleLR: base_momentum");
    max_momenta = options.max_momentum.resolve(groups, "OneCycleLR: max_momentum");
  }
  for (std::size_t g = 0; g < groups; ++g) {
    const double initial_lr = base_lrs()[g];
    levels_.push_back({initial_lr, max_lrs[g], initial_lr / options.final_div_factor, base_momenta[g], max_momenta[g]});
  }

  const double warm_end = options.pct_start * static_cast<double>(total_steps_) - 1.0;
  const double last = static_cast<double>(total_steps_ - 1);
  if (options.three_phase)
    phases_ = {{warm_end, &Levels::initial_lr, &Levels::max_lr, &Levels::max_momentum, &Levels::base_momentum},
               {2.0 * options.pct_start * static_cast<double>(total_steps_) - 2.0, &Levels::max_lr, &Levels::initial_lr,
                &Levels::base_momentum, &Levels::max_momentum},
               {last, &Levels::initial_lr, &Levels::min_lr, &Levels::max_momentum, &Levels::max_momentum}};
  else
    phases_ = {{warm_end, &Levels::initial_lr, &Levels::max_lr, &Levels::max_momentum, &Levels::base_momentum},
               {last, &Levels::max_lr, &Levels::min_lr, &Levels::base_momentum, &Levels::max_momentum}};
  // PyTorch divides by zero on reaching a phase that has no length. "No
  // length" allows for rounding: with -march=native the compiler may fuse
  // pct_start * total_steps - 1 into one FMA, which is not exactly 0 where
  // Python's two roundings are.
  const double tolerance = 1e-9 * static_cast<double>(total_steps_);
  double start = 0.0;
  for (std::size_t i = 0; i < phases_.size(); ++i) {
    if (std::abs(phases_[i].end_step - start) <= tolerance)
      throw_invalid_argument(op, "pct_start = " + number_text(options.pct_start) +
                                     " with total_steps = " + std::to_string(total_steps_) + " leaves phase " +
                                     std::to_string(i + 1) + " of the cycle without steps");
    start = phases_[i].end_step;
  }
  initial_step();
}

std::pair<const OneCycleLR::Phase*, double> OneCycleLR::locate(long epoch) const {
  if (epoch > total_steps_)
    throw std::out_of_range("OneCycleLR: tried to step " + std::to_string(epoch) + " times; total_steps is " +
                            std::to_string(total_steps_));
  const double t = static_cast<double>(epoch);
  double start = 0.0;
  std::size_t i = 0;
  for (; i + 1 < phases_.size() && t > phases_[i].end_step; ++i) start = phases_[i].end_step;
  const Phase& phase = phases_[i];
  return {&phase, (t - start) / (phase.end_step - start)};
}

double OneCycleLR::anneal(double start, double end, double pct) const {
  return anneal_strategy_ == AnnealStrategy::cos ? schedules::cosine_annealing(start, end, pct)
                                                 : schedules::linear_annealing(start, end, pct);
}

double OneCycleLR::compute_lr(long epoch, std::size_t group) const {
  const auto [phase, pct] = locate(epoch);
  const Levels& levels = levels_[group];
  return anneal(levels.*(phase->start_lr), levels.*(phase->end_lr), pct);
}

std::optional<double> OneCycleLR::compute_momentum(long epoch, std::size_t group) const {
  if (!cycle_momentum_) return std::nullopt;
  const auto [phase, pct] = locate(epoch);
  const Levels& levels = levels_[group];
  return anneal(levels.*(phase->start_momentum), levels.*(phase->end_momentum), pct);
}

}  // namespace xg::optim
