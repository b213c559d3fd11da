#pragma once
// The base of the schedules that set the learning rate as a function of the
// step count, as torch.optim.lr_scheduler.LRScheduler: constructing one sets
// the lr of epoch 0 (PyTorch's last_epoch = 0) and each step() advances one
// epoch, or one batch for the per-batch schedules (CyclicLR, OneCycleLR).
//
// Every schedule here is computed from its closed form, lr_at(epoch), and
// never from the lr it set before (PyTorch's "chainable" form): the two agree
// while nothing else changes the lr, and the closed form can neither drift
// nor divide by zero.

#include <cstddef>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include <xgrad/core/archive.hpp>
#include <xgrad/optim/optimizer_base.hpp>
#include <xgrad/optim/schedulers/scheduler_base.hpp>

namespace xg::optim {

class LRScheduler : public SchedulerBase {
 public:
  LRScheduler(const LRScheduler&) = delete;
  LRScheduler& operator=(const LRScheduler&) = delete;

  // Advances one step and sets the lr of every param group (and the
  // momentum, for the schedules that cycle it).
  void step();
  // The lr of every group as the last step (or the constructor) set it.
  const std::vector<double>& get_last_lr() const { return last_lr_; }
  long last_epoch() const { return last_epoch_; }
  // The lr of each group the schedule scales: the optimizer's when the
  // schedule was constructed, unless the schedule sets its own (CyclicLR's
  // base_lr, OneCycleLR's max_lr / div_factor).
  const std::vector<double>& base_lrs() const { return base_lrs_; }
  OptimizerBase& optimizer() const { return optimizer_; }
  // The class name, e.g. "StepLR", also stored in the state to catch loading
  // one schedule's state into another.
  const std::string& name() const override { return name_; }

  // The lr of `group` at `epoch`, changing nothing.
  double lr_at(long epoch, std::size_t group = 0) const;
  // The momentum the schedule sets at `epoch`; empty when it sets none.
  std::optional<double> momentum_at(long epoch, std::size_t group = 0) const;

  // The epoch and base lrs (with those of nested schedules). Options are not
  // saved: a resumed run constructs the schedule with the same options and
  // then loads. As in PyTorch, loading leaves the optimizer alone, whose own
  // state holds the current lr: save and load both.
  io::Archive state_dict() const;
  void load_state_dict(const io::Archive& state);
  // The same entries under a prefix, to share one archive with other state,
  // e.g. the optimizer's: `auto a = opt.state_dict(); sched.save_state(a, "lr_scheduler.");`.
  void save_state(io::Archive& archive, const std::string& prefix) const override;
  void check_state(const io::Archive& archive, const std::string& prefix) const override;
  // Checks every entry before changing anything: on a mismatch it throws
  // io::FormatError and the schedule is as it was.
  void load_state(const io::Archive& archive, const std::string& prefix) override;
  void save(const std::string& path) const { state_dict().save(path, "lr_scheduler"); }
  void load(const std::string& path) { load_state_dict(io::Archive::load(path, "lr_scheduler")); }

  // For the schedules made of schedules (SequentialLR, ChainedScheduler):
  // `schedulers` are non-null, distinct and of `optimizer`, or `op` throws
  // std::invalid_argument naming the one that is not.
  using Schedulers = std::vector<std::shared_ptr<LRScheduler>>;
  static void check_schedulers(const char* op, const OptimizerBase& optimizer, const Schedulers& schedulers);

 protected:
  // The base lrs are the optimizer's lr of each group.
  LRScheduler(OptimizerBase& optimizer, std::string name);
  // The schedule sets its own base lrs, one per group.
  LRScheduler(OptimizerBase& optimizer, std::string name, std::vector<double> base_lrs);

  // The closed forms behind lr_at and momentum_at, for an epoch >= 0 and a
  // valid group.
  virtual double compute_lr(long epoch, std::size_t group) const = 0;
  virtual std::optional<double> compute_momentum(long epoch, std::size_t group) const;

  // Sets epoch 0: the last statement of every constructor, since compute_lr
  // is virtual and so cannot run from this class's constructor.
  void initial_step() { apply(0); }
  // Sets the lr (and momentum) of every group for `epoch`; computes all of
  // them before changing any, so a schedule that refuses an epoch changes
  // nothing.
  virtual void apply(long epoch);
  std::size_t num_groups() const { return base_lrs_.size(); }

  // The schedules this one is made of (SequentialLR's, ChainedScheduler's),
  // none by default. Their states are saved after this one's, under
  // <prefix>schedulers.<i>., and all checked before any is loaded.
  virtual const Schedulers& nested() const;
  // SequentialLR gives its schedules the lr from before any of them changed
  // it, as PyTorch's shared `initial_lr` does; schedules that set their own
  // base lrs keep them.
  virtual void rebase(const std::vector<double>& base_lrs);

 private:
  friend class SequentialLR;
  friend class ChainedScheduler;
  struct SavedState {
    long last_epoch;
    std::vector<double> base_lrs, last_lr;
  };
  void check_query(const char* what, long epoch, std::size_t group) const;
  // The checked entries of this schedule alone.
  SavedState read_state(const io::Archive& archive, const std::string& prefix) const;
  void save_nested(io::Archive& archive, const std::string& prefix) const;
  void check_nested(const io::Archive& archive, const std::string& prefix) const;
  void load_nested(const io::Archive& archive, const std::string& prefix);

  OptimizerBase& optimizer_;
  std::string name_;
  std::vector<double> base_lrs_;
  bool base_lrs_from_optimizer_;
  long last_epoch_ = -1;
  std::vector<double> last_lr_;
};

}  // namespace xg::optim
