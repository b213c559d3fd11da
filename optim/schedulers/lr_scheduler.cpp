#include <xgrad/optim/schedulers/lr_scheduler.hpp>

#include <algorithm>
#include <cmath>
#include <stdexcept>
#include <utility>

#include <xgrad/core/error.hpp>
#include <xgrad/core/message.hpp>

namespace xg::optim {

namespace {

Array<double> to_array(const std::vector<double>& values) {
  auto out = Array<double>::from_shape({values.size()});
  std::copy(values.begin(), values.end(), out.begin());
  return out;
}

std::string nested_prefix(const std::string& prefix, std::size_t i) {
  return prefix + "schedulers." + std::to_string(i) + ".";
}

std::vector<double> lrs_of(const OptimizerBase& optimizer) {
  std::vector<double> lrs(optimizer.num_param_groups());
  for (std::size_t g = 0; g < lrs.size(); ++g) lrs[g] = optimizer.lr(g);
  return lrs;
}

}  // namespace

LRScheduler::LRScheduler(OptimizerBase& optimizer, std::string name)
    : optimizer_(optimizer), name_(std::move(name)), base_lrs_(lrs_of(optimizer)), base_lrs_from_optimizer_(true) {}

LRScheduler::LRScheduler(OptimizerBase& optimizer, std::string name, std::vector<double> base_lrs)
    : optimizer_(optimizer), name_(std::move(name)), base_lrs_(std::move(base_lrs)), base_lrs_from_optimizer_(false) {
  if (base_lrs_.size() != optimizer.num_param_groups())
    throw std::invalid_argument(name_ + ": " + std::to_string(base_lrs_.size()) + " base lrs for " +
                                std::to_string(optimizer.num_param_groups()) + " param groups");
}

std::optional<double> LRScheduler::compute_momentum(long, std::size_t) const { return std::nullopt; }

double LRScheduler::lr_at(long epoch, std::size_t group) const {
  check_query("lr_at", epoch, group);
  return compute_lr(epoch, group);
}

std::optional<double> LRScheduler::momentum_at(long epoch, std::size_t group) const {
  check_query("momentum_at", epoch, group);
  return compute_momentum(epoch, group);
}

void LRScheduler::check_query(const char* what, long epoch, std::size_t group) const {
  if (epoch < 0)
    throw std::invalid_argument(name_ + "::" + what + ": epoch must be non-negative, got " + std::to_string(epoch));
  if (group >= num_groups())
    throw std::invalid_argument(name_ + "::" + what + ": group " + std::to_string(group) + " out of range for " +
                                std::to_string(num_groups()) + " param groups");
}

void LRScheduler::step() { apply(last_epoch_ + 1); }

void LRScheduler::apply(long epoch) {
  const std::size_t groups = optimizer_.num_param_groups();
  if (groups != num_groups())
    throw std::logic_error(name_ + ": the optimizer now has " + std::to_string(groups) +
                           " param groups but the schedule was built for " + std::to_string(num_groups()));
  std::vector<double> lrs(groups);
  std::vector<std::optional<double>> momenta(groups);
  for (std::size_t g = 0; g < groups; ++g) {
    lrs[g] = compute_lr(epoch, g);
    momenta[g] = compute_momentum(epoch, g);
    if (!std::isfinite(lrs[g]) || (momenta[g] && !std::isfinite(*momenta[g])))
      throw std::domain_error(name_ + ": the schedule gives a value that is not finite at epoch " +
                              std::to_string(epoch) + " for param group " + std::to_string(g));
  }
  // Whether an lr or momentum is acceptable is the optimizer's to say (a
  // negative lr, a beta1 of 1; PyTorch's own schedules can end below 0): a
  // refusal in a later group puts the earlier groups back as they were.
  std::vector<double> old_lrs(groups);
  std::vector<std::optional<double>> old_momenta(groups);
  for (std::size_t g = 0; g < groups; ++g) {
    old_lrs[g] = optimizer_.lr(g);
    if (momenta[g]) old_momenta[g] = optimizer_.momentum(g);
  }
  std::size_t g = 0;
  const auto restore = [&] {
    for (std::size_t k = 0; k <= g && k < groups; ++k) {
      optimizer_.set_lr(old_lrs[k], k);
      if (old_momenta[k]) optimizer_.set_momentum(*old_momenta[k], k);
    }
  };
  try {
    for (; g < groups; ++g) {
      optimizer_.set_lr(lrs[g], g);
      if (momenta[g]) optimizer_.set_momentum(*momenta[g], g);
    }
  } catch (const std::invalid_argument& e) {
    restore();
    throw std::invalid_argument(name_ + ": epoch " + std::to_string(epoch) + " gives param group " + std::to_string(g) +
                                " the lr " + number_text(lrs[g]) +
                                (momenta[g] ? " and momentum " + number_text(*momenta[g]) : "") +
                                ", which the optimizer refuses: " + e.what());
  } catch (...) {
    restore();
    throw;
  }
  last_epoch_ = epoch;
  last_lr_ = std::move(lrs);
}

void LRScheduler::rebase(const std::vector<double>& base_lrs) {
  if (base_lrs_from_optimizer_) base_lrs_ = base_lrs;
}

io::Archive LRScheduler::state_dict() const {
  io::Archive archive;
  save_state(archive, "");
  return archive;
}

void LRScheduler::load_state_dict(const io::Archive& state) { load_state(state, ""); }

void LRScheduler::save_state(io::Archive& archive, const std::string& prefix) const {
  archive.put_string(prefix + "type", name_);
  archive.put_integer(prefix + "last_epoch", last_epoch_);
  archive.put(prefix + "base_lrs", to_array(base_lrs_));
  archive.put(prefix + "last_lr", to_array(last_lr_));
  save_nested(archive, prefix);
}

const LRScheduler::Schedulers& LRScheduler::nested() const {
  static const Schedulers none;
  return none;
}

void LRScheduler::save_nested(io::Archive& archive, const std::string& prefix) const {
  const Schedulers& schedulers = nested();
  if (schedulers.empty()) return;
  archive.put_integer(prefix + "num_schedulers", static_cast<std::int64_t>(schedulers.size()));
  for (std::size_t i = 0; i < schedulers.size(); ++i) schedulers[i]->save_state(archive, nested_prefix(prefix, i));
}

void LRScheduler::check_nested(const io::Archive& archive, const std::string& prefix) const {
  const Schedulers& schedulers = nested();
  if (schedulers.empty()) return;
  const std::int64_t saved = archive.get_integer(prefix + "num_schedulers");
  if (std::cmp_not_equal(saved, schedulers.size()))
    throw io::FormatError(name_ + "::load_state: the state holds " + std::to_string(saved) + " schedules, this " +
                          name_ + " has " + std::to_string(schedulers.size()));
  for (std::size_t i = 0; i < schedulers.size(); ++i) {
    schedulers[i]->read_state(archive, nested_prefix(prefix, i));
    schedulers[i]->check_nested(archive, nested_prefix(prefix, i));
  }
}

void LRScheduler::load_nested(const io::Archive& archive, const std::string& prefix) {
  for (std::size_t i = 0; i < nested().size(); ++i) nested()[i]->load_state(archive, nested_prefix(prefix, i));
}

LRScheduler::SavedState LRScheduler::read_state(const io::Archive& archive, const std::string& prefix) const {
  const std::string where = name_ + "::load_state: ";
  const std::string type = archive.get_string(prefix + "type");
  if (type != name_)
    throw io::FormatError(where + "the state under '" + prefix + "' is of type " + quoted_text(type) + ", not " +
                          name_);

  const std::int64_t epoch = archive.get_integer(prefix + "last_epoch");
  if (epoch < 0)
    throw io::FormatError(where + "'" + prefix + "last_epoch' is not a step count: " + std::to_string(epoch));
  SavedState state{static_cast<long>(epoch), read_lrs(archive, prefix + "base_lrs", num_groups(), where),
                   read_lrs(archive, prefix + "last_lr", num_groups(), where)};
  if (num_groups() > 0) {
    // Whether the schedule reaches that epoch at all (OneCycleLR ends).
    try {
      compute_lr(state.last_epoch, 0);
    } catch (const std::exception& e) {
      throw io::FormatError(where + "the saved epoch is outside this schedule: " + e.what());
    }
  }
  return state;
}

void LRScheduler::check_state(const io::Archive& archive, const std::string& prefix) const {
  read_state(archive, prefix);
  check_nested(archive, prefix);
}

void LRScheduler::load_state(const io::Archive& archive, const std::string& prefix) {
  SavedState state = read_state(archive, prefix);
  check_nested(archive, prefix);
  last_epoch_ = state.last_epoch;
  base_lrs_ = std::move(state.base_lrs);
  last_lr_ = std::move(state.last_lr);
  load_nested(archive, prefix);
}

void LRScheduler::check_schedulers(const char* op, const OptimizerBase& optimizer, const Schedulers& schedulers) {
  if (schedulers.empty()) throw_invalid_argument(op, "needs at least one schedule");
  for (std::size_t i = 0; i < schedulers.size(); ++i) {
    if (!schedulers[i]) throw_invalid_argument(op, "schedule " + std::to_string(i) + " is null");
    if (&schedulers[i]->optimizer() != &optimizer)
      throw_invalid_argument(
          op, "schedule " + std::to_string(i) + " (" + schedulers[i]->name() + ") belongs to another optimizer");
    for (std::size_t j = 0; j < i; ++j)
      if (schedulers[j] == schedulers[i])
        throw_invalid_argument(op, "schedules " + std::to_string(j) + " and " + std::to_string(i) + " are the same");
  }
}

}  // namespace xg::optim
