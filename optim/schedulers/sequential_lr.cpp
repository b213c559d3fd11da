#include <xgrad/optim/schedulers/sequential_lr.hpp>

#include <algorithm>
#include <string>
#include <utility>

#include <xgrad/core/error.hpp>

namespace xg::optim {

namespace {

const char* const op = "SequentialLR";

const SequentialLROptions& checked(const OptimizerBase& optimizer, const SequentialLROptions& options) {
  const auto& schedulers = options.schedulers;
  const auto& milestones = options.milestones;
  LRScheduler::check_schedulers(op, optimizer, schedulers);
  if (milestones.size() + 1 != schedulers.size())
    throw_invalid_argument(op, "needs one milestone fewer than schedules, got " + std::to_string(schedulers.size()) +
                                   " schedules and " + std::to_string(milestones.size()) + " milestones");
  for (std::size_t i = 0; i < milestones.size(); ++i)
    if (milestones[i] <= (i == 0 ? 0 : milestones[i - 1]))
      throw_invalid_argument(op, "milestones must be positive and increasing, got " + std::to_string(milestones[i]) +
                                     " at position " + std::to_string(i));
  return options;
}

}  // namespace

SequentialLR::SequentialLR(OptimizerBase& optimizer, SequentialLROptions options)
    : LRScheduler(optimizer, op, checked(optimizer, options).schedulers.front()->base_lrs()),
      options_(std::move(options)) {
  for (auto& scheduler : options_.schedulers) scheduler->rebase(base_lrs());
  initial_step();
}

std::pair<LRScheduler*, long> SequentialLR::active(long epoch) const {
  const auto& milestones = options_.milestones;
  const auto i =
      static_cast<std::size_t>(std::upper_bound(milestones.begin(), milestones.end(), epoch) - milestones.begin());
  return {options_.schedulers[i].get(), i == 0 ? epoch : epoch - milestones[i - 1]};
}

double SequentialLR::compute_lr(long epoch, std::size_t group) const {
  const auto [scheduler, own_epoch] = active(epoch);
  return scheduler->compute_lr(own_epoch, group);
}

std::optional<double> SequentialLR::compute_momentum(long epoch, std::size_t group) const {
  const auto [scheduler, own_epoch] = active(epoch);
  return scheduler->compute_momentum(own_epoch, group);
}

void SequentialLR::apply(long epoch) {
  const auto [scheduler, own_epoch] = active(epoch);
  scheduler->apply(own_epoch);
  last_epoch_ = epoch;
  last_lr_ = scheduler->last_lr_;
}

void SequentialLR::rebase(const std::vector<double>& base_lrs) {
  base_lrs_ = base_lrs;
  for (auto& scheduler : options_.schedulers) scheduler->rebase(base_lrs);
}

}  // namespace xg::optim
