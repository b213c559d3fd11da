#include <xgrad/optim/schedulers/reduce_lr_on_plateau.hpp>

#include <algorithm>
#include <cmath>
#include <limits>
#include <stdexcept>

#include <xgrad/core/error.hpp>
#include <xgrad/core/message.hpp>

namespace xg::optim {

namespace {

const char* const op = "ReduceLROnPlateau";

double worst(PlateauMode mode) {
  return mode == PlateauMode::min ? std::numeric_limits<double>::infinity() : -std::numeric_limits<double>::infinity();
}

}  // namespace

const std::string& ReduceLROnPlateau::name() const {
  static const std::string name = op;
  return name;
}

ReduceLROnPlateau::ReduceLROnPlateau(OptimizerBase& optimizer, const ReduceLROnPlateauOptions& options)
    : optimizer_(optimizer),
      options_(options),
      min_lrs_(options.min_lr.resolve(optimizer.num_param_groups(), "ReduceLROnPlateau: min_lr")),
      best_(worst(options.mode)),
      last_lr_(current_lrs()) {
  if (!(options.factor >= 0.0 && options.factor < 1.0))
    throw_invalid_argument(op, "factor must be in [0, 1), got " + number_text(options.factor));
  if (options.patience < 0)
    throw_invalid_argument(op, "patience must be non-negative, got " + std::to_string(options.patience));
  if (!(options.threshold >= 0.0))
    throw_invalid_argument(op, "threshold must be non-negative, got " + number_text(options.threshold));
  if (options.cooldown < 0)
    throw_invalid_argument(op, "cooldown must be non-negative, got " + std::to_string(options.cooldown));
  if (!(options.eps >= 0.0)) throw_invalid_argument(op, "eps must be non-negative, got " + number_text(options.eps));
  for (double min_lr : min_lrs_)
    if (!(min_lr >= 0.0)) throw_invalid_argument(op, "min_lr must be non-negative, got " + number_text(min_lr));
}

std::vector<double> ReduceLROnPlateau::current_lrs() const {
  std::vector<double> lrs(optimizer_.num_param_groups());
  for (std::size_t g = 0; g < lrs.size(); ++g) lrs[g] = optimizer_.lr(g);
  return lrs;
}

void ReduceLROnPlateau::step(double metric) {
  if (std::isnan(metric)) throw std::invalid_argument("ReduceLROnPlateau::step: the metric is NaN");
  if (optimizer_.num_param_groups() != min_lrs_.size())
    throw std::logic_error(std::string(op) + ": the optimizer now has " +
                           std::to_string(optimizer_.num_param_groups()) +
                           " param groups but the schedule was built for " + std::to_string(min_lrs_.size()));
  ++last_epoch_;
  if (is_better(metric)) {
    best_ = metric;
    num_bad_epochs_ = 0;
  } else {
    ++num_bad_epochs_;
  }
  if (in_cooldown()) {
    --cooldown_counter_;
    num_bad_epochs_ = 0;  // epochs in cooldown do not count
  }
  if (num_bad_epochs_ > options_.patience) {
    reduce_lr();
    cooldown_counter_ = options_.cooldown;
    num_bad_epochs_ = 0;
  }
  last_lr_ = current_lrs();
}

bool ReduceLROnPlateau::is_better(double metric) const {
  const double threshold = options_.threshold;
  const bool relative = options_.threshold_mode == ThresholdMode::rel;
  if (options_.mode == PlateauMode::min)
    return relative ? metric < best_ * (1.0 - threshold) : metric < best_ - threshold;
  return relative ? metric > best_ * (1.0 + threshold) : metric > best_ + threshold;
}

void ReduceLROnPlateau::reduce_lr() {
  for (std::size_t g = 0; g < min_lrs_.size(); ++g) {
    const double old_lr = optimizer_.lr(g);
    const double new_lr = std::max(old_lr * options_.factor, min_lrs_[g]);
    if (old_lr - new_lr > options_.eps) optimizer_.set_lr(new_lr, g);
  }
}

io::Archive ReduceLROnPlateau::state_dict() const {
  io::Archive archive;
  save_state(archive, "");
  return archive;
}

void ReduceLROnPlateau::load_state_dict(const io::Archive& state) { load_state(state, ""); }

void ReduceLROnPlateau::save_state(io::Archive& archive, const std::string& prefix) const {
  archive.put_string(prefix + "type", op);
  archive.put_integer(prefix + "last_epoch", last_epoch_);
  archive.put_number(prefix + "best", best_);
  archive.put_integer(prefix + "num_bad_epochs", num_bad_epochs_);
  archive.put_integer(prefix + "cooldown_counter", cooldown_counter_);
  auto last_lr = Array<double>::from_shape({last_lr_.size()});
  std::copy(last_lr_.begin(), last_lr_.end(), last_lr.begin());
  archive.put(prefix + "last_lr", last_lr);
}

ReduceLROnPlateau::SavedState ReduceLROnPlateau::read_state(const io::Archive& archive,
                                                            const std::string& prefix) const {
  const std::string where = "ReduceLROnPlateau::load_state: ";
  const std::string type = archive.get_string(prefix + "type");
  if (type != op)
    throw io::FormatError(where + "the state under '" + prefix + "' is of type " + quoted_text(type) +
                          ", not ReduceLROnPlateau");
  const auto count = [&](const std::string& entry) {
    const std::int64_t value = archive.get_integer(prefix + entry);
    if (value < 0) throw io::FormatError(where + "'" + prefix + entry + "' is not a count: " + std::to_string(value));
    return static_cast<long>(value);
  };
  SavedState state;
  state.last_epoch = count("last_epoch");
  state.num_bad_epochs = count("num_bad_epochs");
  state.cooldown_counter = count("cooldown_counter");
  state.best = archive.get_number(prefix + "best");
  if (std::isnan(state.best)) throw io::FormatError(where + "'" + prefix + "best' is NaN");
  state.last_lr = read_lrs(archive, prefix + "last_lr", min_lrs_.size(), where);
  return state;
}

void ReduceLROnPlateau::check_state(const io::Archive& archive, const std::string& prefix) const {
  read_state(archive, prefix);
}

void ReduceLROnPlateau::load_state(const io::Archive& archive, const std::string& prefix) {
  SavedState state = read_state(archive, prefix);
  last_epoch_ = state.last_epoch;
  num_bad_epochs_ = state.num_bad_epochs;
  cooldown_counter_ = state.cooldown_counter;
  best_ = state.best;
  last_lr_ = std::move(state.last_lr);
}

}  // namespace xg::optim
