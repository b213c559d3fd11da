#include "training_loop.hpp"

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

}  // namespace

TrainingCheckpoints::TrainingCheckpoints(nn::Module& model, optim::OptimizerBase& optimizer,
                                         optim::LRScheduler* schedule, const TrainFlags& flags,
                                         std::size_t batches_per_epoch)
    : model_(model), optimizer_(optimizer), schedule_(schedule), flags_(flags) {
  if (flags_.checkpoint.empty() || !std::filesystem::exists(flags_.checkpoint)) return;
  const std::string bytes = io::read_file(flags_.checkpoint, "load_checkpoint");
  // Compared before anything is loaded: resuming under other flags would
  // continue a run that is neither the old one nor the new one.
  if (const std::string changed = changed_flags(read_checkpoint_bytes(bytes, flags_.checkpoint).extra, flags_);
      !changed.empty() && !flags_.force_resume)
    throw std::runtime_error("checkpoint '" + flags_.checkpoint + "' was written under other run flags: " + changed +
                             "; run with the checkpoint's flags, or add --force-resume to continue under these");
  const CheckpointExtra extra = load_checkpoint_bytes(bytes, model_, optimizer_, schedule_, flags_.checkpoint);
  const auto batches = extra.numbers.find("batches_done");
  const auto loss_sum = extra.numbers.find("loss_sum");
  const auto generator = extra.strings.find("epoch_start_generator");
  if (batches == extra.numbers.end() || loss_sum == extra.numbers.end() || generator == extra.strings.end())
    throw std::runtime_error("checkpoint '" + flags_.checkpoint +
                             "' was not written by an example: it lacks the position in the epoch");
  const double done = batches->second;
  if (extra.epoch < 1 || extra.epoch > flags_.epochs ||
      !(done >= 0 && done <= static_cast<double>(batches_per_epoch)) || done != std::floor(done))
    throw std::runtime_error("checkpoint '" + flags_.checkpoint + "' is at epoch " + std::to_string(extra.epoch) +
                             " batch " + number_text(done) + ", outside this run of " +
                             std::to_string(flags_.epochs) + " epochs of " + std::to_string(batches_per_epoch) +
                             " batches");
  step_ = saved_step_ = extra.step;
  first_epoch_ = static_cast<int>(extra.epoch);
  resume_ = Position{first_epoch_, static_cast<std::size_t>(done), loss_sum->second, generator->second};
  std::printf("resumed from %s at epoch %d step %lld\n", flags_.checkpoint.c_str(), first_epoch_,
              static_cast<long long>(step_));
}

TrainingCheckpoints::Position TrainingCheckpoints::start_epoch(int epoch) {
  Generator& generator = default_generator();
  Position at{epoch, 0, 0.0, generator.state()};
  if (resume_ && resume_->epoch == epoch) {
    generator_after_resume_ = at.epoch_start_generator;
    at = *resume_;
    generator.set_state(at.epoch_start_generator);
  }
  resume_.reset();
  return at;
}

void TrainingCheckpoints::order_drawn() {
  if (generator_after_resume_.empty()) return;
  default_generator().set_state(generator_after_resume_);
  generator_after_resume_.clear();
}

void TrainingCheckpoints::batch_done(Position& at, double loss, std::size_t rows) {
  ++step_;
  if (!std::isfinite(loss))
    throw std::runtime_error("training stopped: the loss is " + number_text(loss) + " at epoch " +
                             std::to_string(at.epoch) + " step " + std::to_string(step_) +
                             (saved_step_ >= 0 ? "; the last good checkpoint '" + flags_.checkpoint + "' (step " +
                                                     std::to_string(saved_step_) + ") is kept"
                                               : ""));
  at.loss_sum += loss * static_cast<double>(rows);
  ++at.batches_done;
  if (!flags_.checkpoint.empty() && flags_.checkpoint_every > 0 && step_ % flags_.checkpoint_every == 0) save(at);
}

double TrainingCheckpoints::end_epoch(const Position& at, std::size_t samples) {
  // Saved before the schedule steps, as a step's checkpoint on the epoch's
  // last batch: resuming from it steps the schedule then.
  if (!flags_.checkpoint.empty() && flags_.checkpoint_every == 0) save(at);
  if (schedule_) schedule_->step();
  return at.loss_sum / static_cast<double>(samples);
}

void TrainingCheckpoints::check_parameters(int epoch) const {
  for (const auto& [name, p] : model_.named_parameters())
    for (float v : p.value())
      if (!std::isfinite(v))
        throw std::runtime_error("training stopped: parameter '" + name + "' holds " + number_text(v) +
                                 " at epoch " + std::to_string(epoch) + " step " + std::to_string(step_) +
                                 "; the checkpoint '" + flags_.checkpoint + "' is not overwritten");
}

void TrainingCheckpoints::save(const Position& at) {
  check_parameters(at.epoch);
  CheckpointExtra extra{.epoch = at.epoch,
                        .step = step_,
                        .numbers = {{"batches_done", static_cast<double>(at.batches_done)}, {"loss_sum", at.loss_sum}},
                        .strings = {{"epoch_start_generator", at.epoch_start_generator}}};
  for (const auto& [flag, value] : run_flags(flags_)) extra.strings.emplace(std::string(flag_prefix) + flag, value);
  save_checkpoint(flags_.checkpoint, model_, optimizer_, schedule_, extra);
  saved_step_ = step_;
}

void TrainingCheckpoints::finish() const {
  if (!flags_.save_model.empty()) model_.save(flags_.save_model);
}

}  // namespace xg::examples
