#include "training_loop.hpp"

#include <cmath>
#include <cstdio>
#include <filesystem>
#include <stdexcept>

namespace xg::examples {

namespace {

std::string number_text(double v) {
  char buffer[32];
  std::snprintf(buffer, sizeof buffer, "%g", v);
  return buffer;
}

}  // namespace

TrainingCheckpoints::TrainingCheckpoints(nn::Module& model, optim::OptimizerBase& optimizer,
                                         optim::LRScheduler* schedule, const TrainFlags& flags,
                                         std::size_t batches_per_epoch)
    : model_(model), optimizer_(optimizer), schedule_(schedule), flags_(flags) {
  if (flags_.checkpoint.empty() || !std::filesystem::exists(flags_.checkpoint)) return;
  const CheckpointExtra extra = load_checkpoint(flags_.checkpoint, model_, optimizer_, schedule_);
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
  save_checkpoint(flags_.checkpoint, model_, optimizer_, schedule_,
                  {.epoch = at.epoch,
                   .step = step_,
                   .numbers = {{"batches_done", static_cast<double>(at.batches_done)}, {"loss_sum", at.loss_sum}},
                   .strings = {{"epoch_start_generator", at.epoch_start_generator}}});
  saved_step_ = step_;
}

void TrainingCheckpoints::finish() const {
  if (!flags_.save_model.empty()) model_.save(flags_.save_model);
}

}  // namespace xg::examples
