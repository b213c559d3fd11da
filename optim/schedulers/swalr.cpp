#include <xgrad/optim/schedulers/swalr.hpp>

#include <algorithm>
#include <cmath>
#include <numbers>
#include <string>

#include <xgrad/core/error.hpp>
#include <xgrad/core/message.hpp>

namespace xg::optim {

SWALR::SWALR(OptimizerBase& optimizer, const SWALROptions& options)
    : LRScheduler(optimizer, "SWALR"),
      swa_lrs_(options.swa_lr.resolve(optimizer.num_param_groups(), "SWALR: swa_lr")),
      anneal_epochs_(options.anneal_epochs),
      anneal_strategy_(options.anneal_strategy) {
  for (double lr : swa_lrs_)
    if (!(lr >= 0.0 && std::isfinite(lr)))
      throw_invalid_argument("SWALR", "swa_lr must be non-negative and finite, got " + number_text(lr));
  if (anneal_epochs_ < 0)
    throw_invalid_argument("SWALR", "anneal_epochs must be non-negative, got " + std::to_string(anneal_epochs_));
  if (anneal_strategy_ != AnnealStrategy::cos && anneal_strategy_ != AnnealStrategy::linear)
    throw_invalid_argument(
        "SWALR", "anneal_strategy must be cos or linear, got " + std::to_string(static_cast<int>(anneal_strategy_)));
  initial_step();
}

double SWALR::compute_lr(long epoch, std::size_t group) const {
  const double t = anneal_epochs_ == 0 ? 1.0 : std::min(1.0, static_cast<double>(epoch) / anneal_epochs_);
  const double alpha = anneal_strategy_ == AnnealStrategy::cos ? (1.0 - std::cos(std::numbers::pi * t)) / 2.0 : t;
  return swa_lrs_[group] * alpha + base_lrs()[group] * (1.0 - alpha);
}

void SWALR::apply(long epoch) {
  if (epoch == 1) {
    std::vector<double> lrs(num_groups());
    for (std::size_t g = 0; g < lrs.size(); ++g) lrs[g] = optimizer().lr(g);
    rebase(lrs);
  }
  LRScheduler::apply(epoch);
}

}  // namespace xg::optim
