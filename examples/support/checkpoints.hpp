#pragma once
// What an example's training loop adds for a long run: resuming from
// --checkpoint when the file exists (mid-epoch, to the same weights as a run
// never interrupted), a checkpoint every --checkpoint-every steps (0: at the
// end of every epoch), and a stop at the first loss that is not finite,
// keeping the last good checkpoint. The loop itself stays in the example:
//
//   examples::Checkpoints checkpoints(flags, model, *opt, schedule.get(), loader);
//   for (auto at = checkpoints.resume(); at.epoch <= flags.epochs;) {
//     for (const auto& [x, y] : loader) { ...; checkpoints.batch_done(at, loss, y.size()); }
//     const int epoch = at.epoch;
//     const double loss = checkpoints.epoch_done(at) / double(loader.num_samples());
//     if (schedule) schedule->step();
//     ...
//   }

#include <cstdint>
#include <functional>
#include <string>
#include <utility>

#include <xgrad/xgrad.hpp>

#include "cli.hpp"

namespace xg::examples {

// Where a run is, all a checkpoint keeps beyond the objects' state.
struct RunPosition {
  int epoch = 1;
  std::int64_t step = 0;
  std::size_t batches_done = 0;  // in the epoch
  double loss_sum = 0;           // over this process's samples of the epoch so far
};

struct CheckpointOptions {
  // Under mpirun: every process resumes from the file, and only the one that
  // writes (rank 0) saves it, holding the loss sum over all processes.
  bool writes = true;
  std::function<double(double)> sum_over_processes = [](double v) { return v; };
};

class Checkpoints {
 public:
  template <StatefulLoader Loader>
  Checkpoints(const TrainFlags& flags, nn::Module& model, optim::OptimizerBase& optimizer, optim::LRScheduler* schedule,
              Loader& loader, CheckpointOptions options = {})
      : flags_(flags),
        model_(model),
        optimizer_(optimizer),
        schedule_(schedule),
        loader_(loader_state(loader)),
        batches_per_epoch_(loader.size()),
        options_(std::move(options)) {}

  // Loads --checkpoint when it exists into the objects, after refusing one
  // written under other run flags (unless --force-resume), prints "resumed
  // from FILE at epoch E step S" and returns that position; a fresh run
  // starts at epoch 1. A checkpoint taken on an epoch's last batch resumes at
  // the next epoch, the schedule stepped as the run would have.
  RunPosition resume();
  // Counts one trained batch of `rows` samples, then saves when due; throws
  // std::runtime_error naming the epoch and step when the loss or a
  // parameter stops being finite.
  void batch_done(RunPosition& at, double loss, std::size_t rows);
  // Saves when due at the end of an epoch (before the schedule steps) and
  // moves `at` to the next epoch; returns the epoch's loss sum over all
  // processes' samples.
  double epoch_done(RunPosition& at);
  // Writes the final parameters to --save-model (Module::save).
  void finish() const;

 private:
  void save(const RunPosition& at);

  TrainFlags flags_;
  nn::Module& model_;
  optim::OptimizerBase& optimizer_;
  optim::LRScheduler* schedule_;
  LoaderState loader_;
  std::size_t batches_per_epoch_;
  CheckpointOptions options_;
  std::int64_t saved_step_ = -1;
};

// `flags` for a second run in the same program: without --checkpoint,
// --checkpoint-every and --save-model, which belong to the first.
TrainFlags without_checkpoints(TrainFlags flags);

}  // namespace xg::examples
