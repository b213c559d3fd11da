#pragma once
// What checkpoints see of any schedule, LRScheduler or ReduceLROnPlateau:
// its state saved into and restored from an archive shared with other state,
// under a prefix.

#include <cstddef>
#include <string>
#include <vector>

#include <xgrad/core/archive.hpp>

namespace xg::optim {

class SchedulerBase {
 public:
  virtual ~SchedulerBase() = default;

  // The class name, e.g. "StepLR", also stored in the state to catch loading
  // one schedule's state into another.
  virtual const std::string& name() const = 0;

  virtual void save_state(io::Archive& archive, const std::string& prefix) const = 0;
  // Throws io::FormatError naming the entry and what was expected when the
  // state under `prefix` cannot be loaded into this schedule; changes nothing.
  virtual void check_state(const io::Archive& archive, const std::string& prefix) const = 0;
  // Checks as check_state, then loads: on a mismatch the schedule is as it was.
  virtual void load_state(const io::Archive& archive, const std::string& prefix) = 0;

 protected:
  // The saved list of one lr per param group at `entry` (base_lrs, last_lr):
  // `groups` values, each finite and >= 0, or io::FormatError starting with
  // `where` and naming the entry, the group and the value.
  static std::vector<double> read_lrs(const io::Archive& archive, const std::string& entry, std::size_t groups,
                                      const std::string& where);
};

}  // namespace xg::optim
