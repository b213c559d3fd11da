#pragma once
// torch.optim.lr_scheduler.ReduceLROnPlateau: multiplies the lr of every
// group by `factor` once the metric passed to step(metric) has not improved
// for more than `patience` steps, then waits `cooldown` steps before
// counting again. "Improved" means, with best the best value so far:
//   min, rel: metric < best * (1 - threshold)    min, abs: metric < best - threshold
//   max, rel: metric > best * (1 + threshold)    max, abs: metric > best + threshold
// The lr never goes below min_lr, and a reduction smaller than eps is
// skipped. Unlike the other schedules it reads the lr from the optimizer
// rather than computing it, and constructing it changes nothing.
//
//   ReduceLROnPlateau sched(opt, {.factor = 0.5, .patience = 3});
//   sched.step(validation_loss);

#include <cstddef>
#include <string>
#include <vector>

#include <xgrad/core/archive.hpp>
#include <xgrad/optim/optimizer_base.hpp>
#include <xgrad/optim/schedulers/per_group.hpp>
#include <xgrad/optim/schedulers/scheduler_base.hpp>

namespace xg::optim {

// Whether the metric should go down (a loss) or up (an accuracy).
enum class PlateauMode { min, max };
// Whether `threshold` is a fraction of the best value or an amount.
enum class ThresholdMode { rel, abs };

struct ReduceLROnPlateauOptions {
  PlateauMode mode = PlateauMode::min;
  double factor = 0.1;  // in [0, 1)
  long patience = 10;
  double threshold = 1e-4;
  ThresholdMode threshold_mode = ThresholdMode::rel;
  long cooldown = 0;
  PerGroup<double> min_lr = 0.0;
  double eps = 1e-8;
};

class ReduceLROnPlateau : public SchedulerBase {
 public:
  explicit ReduceLROnPlateau(OptimizerBase& optimizer, const ReduceLROnPlateauOptions& options = {});
  ReduceLROnPlateau(const ReduceLROnPlateau&) = delete;
  ReduceLROnPlateau& operator=(const ReduceLROnPlateau&) = delete;

  // One epoch's metric. A NaN metric throws std::invalid_argument (PyTorch
  // would count it as one more epoch without improvement).
  void step(double metric);

  const std::vector<double>& get_last_lr() const { return last_lr_; }
  long last_epoch() const { return last_epoch_; }
  double best() const { return best_; }
  long num_bad_epochs() const { return num_bad_epochs_; }
  long cooldown_counter() const { return cooldown_counter_; }
  bool in_cooldown() const { return cooldown_counter_ > 0; }
  const ReduceLROnPlateauOptions& options() const { return options_; }
  OptimizerBase& optimizer() const { return optimizer_; }
  const std::string& name() const override;  // "ReduceLROnPlateau"

  // The counters and the best value; the options are not saved (construct
  // with the same ones, then load). As LRScheduler's.
  io::Archive state_dict() const;
  void load_state_dict(const io::Archive& state);
  void save_state(io::Archive& archive, const std::string& prefix) const override;
  void check_state(const io::Archive& archive, const std::string& prefix) const override;
  void load_state(const io::Archive& archive, const std::string& prefix) override;
  void save(const std::string& path) const { state_dict().save(path, "lr_scheduler"); }
  void load(const std::string& path) { load_state_dict(io::Archive::load(path, "lr_scheduler")); }

 private:
  struct SavedState {
    long last_epoch, num_bad_epochs, cooldown_counter;
    double best;
    std::vector<double> last_lr;
  };
  // The checked entries under `prefix`.
  SavedState read_state(const io::Archive& archive, const std::string& prefix) const;
  bool is_better(double metric) const;
  void reduce_lr();
  std::vector<double> current_lrs() const;

  OptimizerBase& optimizer_;
  ReduceLROnPlateauOptions options_;
  std::vector<double> min_lrs_;
  long last_epoch_ = 0;
  double best_;
  long num_bad_epochs_ = 0;
  long cooldown_counter_ = 0;
  std::vector<double> last_lr_;
};

}  // namespace xg::optim
