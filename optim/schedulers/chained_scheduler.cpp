#include <xgrad/optim/schedulers/chained_scheduler.hpp>

#include <algorithm>
#include <string>
#include <utility>

#include <xgrad/core/error.hpp>

namespace xg::optim {

namespace {

const char* const op = "ChainedScheduler";

const ChainedSchedulerOptions& checked(const OptimizerBase& optimizer, const ChainedSchedulerOptions& options) {
  LRScheduler::check_schedulers(op, optimizer, options.schedulers);
  return options;
}

}  // namespace

ChainedScheduler::ChainedScheduler(OptimizerBase& optimizer, ChainedSchedulerOptions options)
    : LRScheduler(optimizer, op, checked(optimizer, options).schedulers.front()->base_lrs()),
      options_(std::move(options)) {
  for (std::size_t i = 0; i < options_.schedulers.size(); ++i)
    if (!scales_optimizer_lr(*options_.schedulers[i]))
      throw_invalid_argument(op, "schedule " + std::to_string(i) + " (" + options_.schedulers[i]->name() +
                                     ") sets its own lr instead of scaling the optimizer's, so it cannot be chained");
  for (auto& scheduler : options_.schedulers) scheduler->rebase(base_lrs());
  initial_step();
}

bool ChainedScheduler::scales_optimizer_lr(const LRScheduler& scheduler) {
  const Schedulers& parts = scheduler.nested();
  if (parts.empty()) return scheduler.base_lrs_from_optimizer_;
  return std::all_of(parts.begin(), parts.end(), [](const auto& part) { return scales_optimizer_lr(*part); });
}

double ChainedScheduler::compute_lr(long epoch, std::size_t group) const {
  const double base = base_lrs()[group];
  if (base == 0.0) return 0.0;
  double lr = base;
  for (const auto& scheduler : options_.schedulers) lr *= scheduler->compute_lr(epoch, group) / base;
  return lr;
}

void ChainedScheduler::apply(long epoch) {
  std::vector<std::vector<double>> own_lrs(options_.schedulers.size(), std::vector<double>(num_groups()));
  for (std::size_t i = 0; i < options_.schedulers.size(); ++i)
    for (std::size_t g = 0; g < num_groups(); ++g) own_lrs[i][g] = options_.schedulers[i]->compute_lr(epoch, g);
  LRScheduler::apply(epoch);
  for (std::size_t i = 0; i < options_.schedulers.size(); ++i) {
    options_.schedulers[i]->last_epoch_ = epoch;
    options_.schedulers[i]->last_lr_ = std::move(own_lrs[i]);
  }
}

void ChainedScheduler::rebase(const std::vector<double>& base_lrs) {
  base_lrs_ = base_lrs;
  for (auto& scheduler : options_.schedulers) scheduler->rebase(base_lrs);
}

}  // namespace xg::optim
