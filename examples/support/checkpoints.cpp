#include "checkpoints.hpp"

#include <cmath>
#include <cstdio>
#include <filesystem>
#include <stdexcept>
#include <string_view>

namespace xg::examples {

namespace {

// Checkpoint extra strings "flag --lr" and so on.
constexpr std::string_view flag_prefix = "flag ";

// The run flags that differ between the checkpoint and this run, as
// "--lr '0.1' in the checkpoint, '0.5' now"; empty when none do.
std::string changed_flags(const CheckpointExtra& extra, const TrainFlags& flags) {
  std::string changed;
  for (const auto& [flag, now] : run_flags(flags)) {
    const auto saved = extra.strings.find(std::string(flag_prefix) + flag);
    if (saved != extra.strings.end() && saved->second == now) continue;
    changed += (changed.empty() ? "" : "; ") + flag + " " +
               (saved == extra.strings.end() ? std::string("not recorded") : quoted_text(saved->second)) +
               " in the checkpoint, '" + now + "' now";
  }
  return changed;
}

void record_flags(CheckpointExtra& extra, const TrainFlags& flags) {
  for (const auto& [flag, value] : run_flags(flags)) extra.strings[std::string(flag_prefix) + flag] = value;
}

}  // namespace

RunPosition Checkpoints::resume() {
  if (flags_.checkpoint.empty() || !std::filesystem::exists(flags_.checkpoint)) return {};
  const std::string& path = flags_.checkpoint;
  const std::string bytes = io::read_file(path, "load_checkpoint");
  // Compared before anything is loaded: resuming under other flags would
  // continue a run that is neither the old one nor the new one.
  CheckpointContents contents = read_checkpoint_bytes(bytes, path);
  const std::string changed = changed_flags(contents.extra, flags_);
  if (!changed.empty() && !flags_.force_resume)
    throw std::runtime_error("checkpoint '" + path + "' was written under other run flags: " + changed +
                             "; run with the checkpoint's flags, or add --force-resume to continue under these");
  const CheckpointExtra extra = load_checkpoint_bytes(bytes, model_, optimizer_, schedule_, loader_, path);
  // Rewritten at once with this run's flags: a run resumed at its end saves nothing more.
  if (!changed.empty() && options_.writes) {
    record_flags(contents.extra, flags_);
    contents.xgrad_version = version();
    io::write_file_atomically(path, checkpoint_to_bytes(contents), "save_checkpoint");
  }
  const auto batches = extra.numbers.find("batches_done");
  const auto loss_sum = extra.numbers.find("loss_sum");
  if (batches == extra.numbers.end() || loss_sum == extra.numbers.end())
    throw std::runtime_error("checkpoint '" + path +
                             "' was not written by an example: it lacks the position in the epoch");
  const double done = batches->second;
  if (extra.epoch < 1 || extra.epoch > flags_.epochs ||
      !(done >= 0 && done <= static_cast<double>(batches_per_epoch_)) || done != std::floor(done))
    throw std::runtime_error("checkpoint '" + path + "' is at epoch " + std::to_string(extra.epoch) + " batch " +
                             number_text(done) + ", outside this run of " + std::to_string(flags_.epochs) +
                             " epochs of " + std::to_string(batches_per_epoch_) + " batches");
  saved_step_ = extra.step;
  if (options_.writes)
    std::printf("resumed from %s at epoch %d step %lld\n", path.c_str(), static_cast<int>(extra.epoch),
                static_cast<long long>(extra.step));
  RunPosition at{static_cast<int>(extra.epoch), extra.step, static_cast<std::size_t>(done),
                 options_.writes ? loss_sum->second : 0.0};
  // Taken on the epoch's last batch: the loader starts the next epoch, so
  // does the run, with the schedule step the epoch's end would have taken.
  if (at.batches_done == batches_per_epoch_) {
    at = {at.epoch + 1, at.step, 0, 0.0};
    if (schedule_) schedule_->step();
  }
  return at;
}

void Checkpoints::batch_done(RunPosition& at, double loss, std::size_t rows) {
  ++at.step;
  if (!std::isfinite(loss))
    throw std::runtime_error("training stopped: the loss is " + number_text(loss) + " at epoch " +
                             std::to_string(at.epoch) + " step " + std::to_string(at.step) +
                             (saved_step_ >= 0 ? "; the last good checkpoint '" + flags_.checkpoint + "' (step " +
                                                     std::to_string(saved_step_) + ") is kept"
                                               : ""));
  at.loss_sum += loss * static_cast<double>(rows);
  ++at.batches_done;
  if (!flags_.checkpoint.empty() && flags_.checkpoint_every > 0 && at.step % flags_.checkpoint_every == 0) save(at);
}

double Checkpoints::epoch_done(RunPosition& at) {
  if (!flags_.checkpoint.empty() && flags_.checkpoint_every == 0) save(at);
  const double total = options_.sum_over_processes(at.loss_sum);
  at = {at.epoch + 1, at.step, 0, 0.0};
  return total;
}

void Checkpoints::save(const RunPosition& at) {
  // Collective under mpirun: every process calls it at the same step.
  const double loss_sum = options_.sum_over_processes(at.loss_sum);
  if (options_.writes) {
    for (const auto& [name, p] : model_.named_parameters())
      for (float v : p.value())
        if (!std::isfinite(v))
          throw std::runtime_error("training stopped: parameter '" + name + "' holds " + number_text(v) + " at epoch " +
                                   std::to_string(at.epoch) + " step " + std::to_string(at.step) +
                                   "; the checkpoint '" + flags_.checkpoint + "' is not overwritten");
    CheckpointExtra extra{.epoch = at.epoch,
                          .step = at.step,
                          .numbers = {{"batches_done", static_cast<double>(at.batches_done)}, {"loss_sum", loss_sum}}};
    record_flags(extra, flags_);
    save_checkpoint(flags_.checkpoint, model_, optimizer_, schedule_, loader_, extra);
  }
  saved_step_ = at.step;
}

void Checkpoints::finish() const {
  if (options_.writes && !flags_.save_model.empty()) model_.save(flags_.save_model);
}

TrainFlags without_checkpoints(TrainFlags flags) {
  flags.checkpoint.clear();
  flags.checkpoint_every = 0;
  flags.save_model.clear();
  return flags;
}

}  // namespace xg::examples
