#pragma once
// --distributed for the examples that take it (digits_mlp, sentiment_bow):
// under mpirun every process trains on its share of each batch of
// processes x --batch-size, the gradients averaged before each step, so the
// run ends where one process with that batch would. Only rank 0 reports.
//
//   examples::Distributed distributed(argc, argv, flags);   // MPI_Init when asked
//   DataLoader loader(train, distributed.shard({.batch_size = flags.batch_size}));
//   distributed.start(model);                               // rank 0's weights everywhere
//   ... loss.backward(); distributed.average_gradients(model, y.size()); ...
//
// Compiled with xgrad::distributed where the build found MPI
// (XGRAD_EXAMPLES_DISTRIBUTED); elsewhere --distributed is refused.

#include <cstdio>
#include <memory>
#include <optional>
#include <stdexcept>
#include <string>

#include <xgrad/xgrad.hpp>
#ifdef XGRAD_EXAMPLES_DISTRIBUTED
#include <xgrad/distributed/distributed.hpp>
#endif

#include "checkpoints.hpp"
#include "cli.hpp"

namespace xg::examples {

class Distributed {
 public:
  Distributed(int& argc, char**& argv, const TrainFlags& flags) {
    if (!flags.distributed) return;
#ifdef XGRAD_EXAMPLES_DISTRIBUTED
    env_.emplace(argc, argv);
#else
    (void)argc;
    (void)argv;
    throw std::invalid_argument("--distributed: this build has no MPI (apt-get install libopenmpi-dev openmpi-bin)");
#endif
  }

  bool reports() const { return rank() == 0; }
  int rank() const {
#ifdef XGRAD_EXAMPLES_DISTRIBUTED
    if (env_) return env_->rank();
#endif
    return 0;
  }
  int world_size() const {
#ifdef XGRAD_EXAMPLES_DISTRIBUTED
    if (env_) return env_->world_size();
#endif
    return 1;
  }

  // This process's share of every batch.
  datasets::DataLoaderOptions shard(datasets::DataLoaderOptions options) const {
    options.num_replicas = static_cast<std::size_t>(world_size());
    options.rank = static_cast<std::size_t>(rank());
    return options;
  }

  // Rank 0's weights on every process.
  void start(nn::Module& model) {
#ifdef XGRAD_EXAMPLES_DISTRIBUTED
    if (env_) distributed::broadcast_parameters(model);
#else
    (void)model;
#endif
  }

  // Between backward and the optimizer's step: the gradients of a batch of
  // which this process holds `rows` samples, averaged over all processes.
  void average_gradients(nn::Module& model, std::size_t rows) {
#ifdef XGRAD_EXAMPLES_DISTRIBUTED
    if (!env_) return;
    bytes_sent_ += distributed::all_reduce_gradients(model, rows).bytes_sent;
    ++steps_;
#else
    (void)model;
    (void)rows;
#endif
  }

  // What a checkpoint needs under mpirun: rank 0 writes it, holding the
  // loss sum over all processes.
  CheckpointOptions checkpoint_options() const {
    return {.writes = reports(), .sum_over_processes = [this](double share) { return epoch_loss(share); }};
  }

  // The sum over all processes of each one's `share`.
  double epoch_loss(double share) const {
#ifdef XGRAD_EXAMPLES_DISTRIBUTED
    if (env_) return distributed::sum_over_ranks(share);
#endif
    return share;
  }

  // "<name> rank=R processes=P bytes_sent_per_step=N", from every process.
  void print_bytes(const char* name) const {
    if (world_size() == 1) return;
    std::printf("%s rank=%d processes=%d bytes_sent_per_step=%.0f\n", name, rank(), world_size(),
                steps_ ? bytes_sent_ / static_cast<double>(steps_) : 0.0);
    std::fflush(stdout);
  }

  // Ends the whole job (every process) with `message` on stderr, or returns
  // status 1 to a single process's main.
  int fail(const char* name, const std::exception& e) const {
#ifdef XGRAD_EXAMPLES_DISTRIBUTED
    if (env_) env_->abort(std::string(name) + ": " + e.what());
#endif
    std::fprintf(stderr, "%s: %s\n", name, e.what());
    return 1;
  }

 private:
#ifdef XGRAD_EXAMPLES_DISTRIBUTED
  std::optional<distributed::Environment> env_;
#endif
  double bytes_sent_ = 0;
  std::size_t steps_ = 0;
};

// An example's main: `train(flags, distributed)` inside the MPI environment
// when --distributed asks for one; an exception ends the job (every process)
// or, on one process, prints "<name>: <what>" and returns 1.
template <class Train>
int run(const char* name, int argc, char** argv, const TrainFlags& flags, Train&& train) {
  try {
    Distributed distributed(argc, argv, flags);
    try {
      return train(flags, distributed);
    } catch (const std::exception& e) {
      return distributed.fail(name, e);
    }
  } catch (const std::exception& e) {
    std::fprintf(stderr, "%s: %s\n", name, e.what());
    return 1;
  }
}

}  // namespace xg::examples
