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
// The loader must draw its order from the default generator (its default),
// whose state the checkpoint holds.

#include <cstdint>
#include <optional>
#include <string>

#include <xgrad/xgrad.hpp>

#include "cli.hpp"

namespace xg::examples {

class TrainingLoop {
 public:
  // Loads flags.checkpoint when it exists and prints where the run resumes.
  TrainingLoop(nn::Module& model, optim::OptimizerBase& optimizer, optim::LRScheduler* schedule,
               datasets::DataLoader& loader, const TrainFlags& flags);

  // 1, or the epoch the checkpoint stopped in.
  int first_epoch() const { return first_epoch_; }

  // Trains the batches of `epoch` not yet done, then steps the schedule;
  // returns the mean loss over all the epoch's samples. Throws
  // std::runtime_error naming the epoch and step when the loss or a
  // parameter stops being finite.
  double run_epoch(int epoch);

  // Writes the final parameters to flags.save_model (Module::save).
  void finish() const;

 private:
  // Where a run is inside an epoch: all a checkpoint adds to the objects'
  // state to resume mid-epoch.
  struct Position {
    int epoch;
    std::size_t batches_done;
    double loss_sum;
    std::string epoch_start_generator;  // before the loader drew the epoch's order
  };
  void save(const Position& at);
  void check_parameters(int epoch) const;

  nn::Module& model_;
  optim::OptimizerBase& optimizer_;
  optim::LRScheduler* schedule_;
  datasets::DataLoader& loader_;
  TrainFlags flags_;
  std::int64_t step_ = 0;
  std::int64_t saved_step_ = -1;
  int first_epoch_ = 1;
  std::optional<Position> resume_;
};

}  // namespace xg::examples
