#pragma once
// The training loop of the examples with what a long run needs: a checkpoint
// every --checkpoint-every steps, resuming from --checkpoint when the file
// exists (mid-epoch, giving the same weights as a run never interrupted), and
// a stop at the first loss that is not finite, keeping the last good
// checkpoint.
//
//   examples::TrainingLoop training(model, *optimizer, schedule.get(), loader, flags);
//   for (int epoch = training.first_epoch(); epoch <= flags.epochs; ++epoch) {
//     const double loss = training.run_epoch(epoch);
//     ...
//   }
//   training.finish();
//
// Any loader of labelled batches works (datasets::DataLoader,
// datasets::CsrDataLoader): `model(batch.x)` gives the logits. The loader must
// draw its order from the default generator (its default), whose state the
// checkpoint holds.

#include <cstdint>
#include <optional>
#include <string>

#include <xgrad/xgrad.hpp>

#include "cli.hpp"
#include "train.hpp"

namespace xg::examples {

// What TrainingLoop does around the batches, whatever their kind: resuming,
// checkpointing, and checking that the loss and parameters stay finite.
class TrainingCheckpoints {
 public:
  // 1, or the epoch the checkpoint stopped in.
  int first_epoch() const { return first_epoch_; }

  // Writes the final parameters to flags.save_model (Module::save).
  void finish() const;

 protected:
  // Where a run is inside an epoch: all a checkpoint adds to the objects'
  // state to resume mid-epoch.
  struct Position {
    int epoch;
    std::size_t batches_done;
    double loss_sum;
    std::string epoch_start_generator;  // before the loader drew the epoch's order
  };

  // Loads flags.checkpoint when it exists and prints where the run resumes.
  TrainingCheckpoints(nn::Module& model, optim::OptimizerBase& optimizer, optim::LRScheduler* schedule,
                      const TrainFlags& flags, std::size_t batches_per_epoch);

  // Where `epoch` starts. When it resumes, the default generator is set as it
  // was at the start of the epoch, so that the loader draws the same order
  // again; order_drawn() then puts it back where the checkpoint left it.
  Position start_epoch(int epoch);
  void order_drawn();
  // Counts one trained batch of `rows` samples and checkpoints when due;
  // throws std::runtime_error naming the epoch and step when the loss or a
  // parameter stops being finite.
  void batch_done(Position& at, double loss, std::size_t rows);
  // Checkpoints when due at the end of the epoch, steps the schedule and
  // returns the mean loss over the epoch's `samples`.
  double end_epoch(const Position& at, std::size_t samples);

 private:
  void save(const Position& at);
  void check_parameters(int epoch) const;

  nn::Module& model_;
  optim::OptimizerBase& optimizer_;
  optim::LRScheduler* schedule_;
  TrainFlags flags_;
  std::int64_t step_ = 0;
  std::int64_t saved_step_ = -1;
  int first_epoch_ = 1;
  std::optional<Position> resume_;
  std::string generator_after_resume_;
};

template <class Model, class Loader>
class TrainingLoop : public TrainingCheckpoints {
 public:
  TrainingLoop(Model& model, optim::OptimizerBase& optimizer, optim::LRScheduler* schedule, Loader& loader,
               const TrainFlags& flags)
      : TrainingCheckpoints(model, optimizer, schedule, flags, loader.size()),
        model_(model),
        optimizer_(optimizer),
        loader_(loader) {}

  // Runs `hook` in every step between backward and the optimizer's step.
  void after_backward(AfterBackward hook) { after_backward_ = std::move(hook); }

  // Trains the batches of `epoch` not yet done, then steps the schedule;
  // returns the mean loss over all the epoch's samples.
  double run_epoch(int epoch) {
    Position at = start_epoch(epoch);
    auto batch = loader_.begin();
    order_drawn();
    for (std::size_t b = 0; b < at.batches_done; ++b) ++batch;
    for (; batch != loader_.end(); ++batch)
      batch_done(at, train_batch(model_, *batch, optimizer_, after_backward_), batch->y.size());
    return end_epoch(at, loader_.num_samples());
  }

 private:
  Model& model_;
  optim::OptimizerBase& optimizer_;
  Loader& loader_;
  AfterBackward after_backward_;
};

}  // namespace xg::examples
