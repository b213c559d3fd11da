#include "training_loop.hpp"

#include <cmath>
#include <cstdio>
#include <filesystem>
#include <stdexcept>

#include "train.hpp"

namespace xg::examples {

namespace {

std::string number_text(double v) {
  char buffer[32];
  std::snprintf(buffer, sizeof buffer, "%g", v);
  return buffer;
}

}  // namespace

TrainingLoop::TrainingLoop(nn::Module& model, optim::OptimizerBase& optimizer, optim::LRScheduler* schedule,
                           datasets::DataLoader& loader, const TrainFlags& flags)
    : model_(model), optimizer_(optimizer), schedule_(schedule), loader_(loader), flags_(flags) {
  if (flags_.checkpoint.empty() || !std::filesystem::exists(flags_.checkpoint)) return;
  const CheckpointExtra extra = load_checkpoint(flags_.checkpoint, model_, optimizer_, schedule_);
  const auto batches = extra.numbers.find("batches_done");
  const auto loss_sum = extra.numbers.find("loss_sum");
  const auto generator = extra.strings.find("epoch_start_generator");
  if (batches == extra.numbers.end() || loss_sum == extra.numbers.end() || generator == extra.strings.end())
    throw std::runtime_error("checkpoint '" + flags_.checkpoint +
                             "' was not written by an example: it lacks the position in the epoch");
  const double done = batches->second;
  if (extra.epoch < 1 || extra.epoch > flags_.epochs || !(done >= 0 && done <= static_cast<double>(loader_.size())) ||
      done != std::floor(done))
    throw std::runtime_error("checkpoint '" + flags_.checkpoint + "' is at epoch " + std::to_string(extra.epoch) +
                             " batch " + number_text(done) + ", outside this run of " +
                             std::to_string(flags_.epochs) + " epochs of " + std::to_string(loader_.size()) +
                             " batches");
  step_ = saved_step_ = extra.step;
  first_epoch_ = static_cast<int>(extra.epoch);
  resume_ = Position{first_epoch_, static_cast<std::size_t>(done), loss_sum->second, generator->second};
  std::printf("resumed from %s at epoch %d step %lld\n", flags_.checkpoint.c_str(), first_epoch_,
              static_cast<long long>(step_));
}

double TrainingLoop::run_epoch(int epoch) {
  Generator& generator = default_generator();
  Position at{epoch, 0, 0.0, generator.state()};
  const bool resuming = resume_ && resume_->epoch == epoch;
  // A resumed epoch draws its order again from the generator as it was at
  // the start of the epoch; the generator then continues from where the
  // checkpoint left it.
  const std::string now = at.epoch_start_generator;
  if (resuming) {
    at = *resume_;
    generator.set_state(at.epoch_start_generator);
  }
  auto batch = loader_.begin();
  if (resuming) {
    generator.set_state(now);
    for (std::size_t b = 0; b < at.batches_done; ++b) ++batch;
  }
  resume_.reset();

  for (; batch != loader_.end(); ++batch) {
    const double loss = train_batch(model_, *batch, optimizer_);
    ++step_;
    if (!std::isfinite(loss))
      throw std::runtime_error("training stopped: the loss is " + number_text(loss) + " at epoch " +
                               std::to_string(epoch) + " step " + std::to_string(step_) +
                               (saved_step_ >= 0 ? "; the last good checkpoint '" + flags_.checkpoint + "' (step " +
                                                       std::to_string(saved_step_) + ") is kept"
                                                 : ""));
    at.loss_sum += loss * static_cast<double>(batch->y.size());
    ++at.batches_done;
    if (!flags_.checkpoint.empty() && flags_.checkpoint_every > 0 && step_ % flags_.checkpoint_every == 0) save(at);
  }
  // Saved before the schedule steps, as a step's checkpoint on the epoch's
  // last batch: resuming from it steps the schedule then.
  if (!flags_.checkpoint.empty() && flags_.checkpoint_every == 0) save(at);
  if (schedule_) schedule_->step();
  return at.loss_sum / static_cast<double>(loader_.num_samples());
}

void TrainingLoop::check_parameters(int epoch) const {
  for (const auto& [name, p] : model_.named_parameters())
    for (float v : p.value())
      if (!std::isfinite(v))
        throw std::runtime_error("training stopped: parameter '" + name + "' holds " + number_text(v) +
                                 " at epoch " + std::to_string(epoch) + " step " + std::to_string(step_) +
                                 "; the checkpoint '" + flags_.checkpoint + "' is not overwritten");
}

void TrainingLoop::save(const Position& at) {
  check_parameters(at.epoch);
  save_checkpoint(flags_.checkpoint, model_, optimizer_, schedule_,
                  {.epoch = at.epoch,
                   .step = step_,
                   .numbers = {{"batches_done", static_cast<double>(at.batches_done)}, {"loss_sum", at.loss_sum}},
                   .strings = {{"epoch_start_generator", at.epoch_start_generator}}});
  saved_step_ = step_;
}

void TrainingLoop::finish() const {
  if (!flags_.save_model.empty()) model_.save(flags_.save_model);
}

}  // namespace xg::examples
