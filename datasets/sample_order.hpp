#pragma once
// The order in which a loader visits its samples, cut into batches and drawn
// anew at every epoch. DataLoader and CsrDataLoader both take theirs from
// here, so that given generators seeded alike they serve the same batches.

#include <cstddef>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include <xgrad/core/archive.hpp>
#include <xgrad/core/generator.hpp>

namespace xg::datasets {

struct DataLoaderOptions {
  std::size_t batch_size = 32;
  bool shuffle = true;
  bool drop_last = false;  // drop the last batch when it is smaller than batch_size
  // Data-parallel sharding, as torch's DistributedSampler: with num_replicas
  // processes, a global batch is num_replicas x batch_size samples of the
  // shared order (the same on every process given the same seed), and this
  // process, `rank`, takes its contiguous share of it: samples
  // [rank x n / num_replicas, (rank + 1) x n / num_replicas) of a global
  // batch of n. Together the processes see what one process with batch size
  // num_replicas x batch_size sees; the shares of a last partial batch differ
  // by at most one sample (and may be empty).
  std::size_t num_replicas = 1;
  std::size_t rank = 0;
};

class SampleOrder {
 public:
  // `loader` names the caller in the exception thrown for a batch_size of 0.
  // The generator must outlive the order.
  SampleOrder(std::size_t samples, DataLoaderOptions options, Generator& generator, const char* loader);

  // Starts an epoch: with options.shuffle, draws a new order from the
  // generator. Returns the first batch to serve: 0, or after
  // load_state_dict the batch the saved epoch had reached.
  std::size_t new_epoch();
  // Counts batch `batch` of the epoch as served.
  void served(std::size_t batch) { served_ = batch + 1; }

  // Where the loader is, as torchdata's StatefulDataLoader keeps it: the
  // batches served in the epoch in progress, the generator's state before
  // that epoch's order was drawn and its state now. `loader` names the
  // caller in messages.
  io::Archive state_dict() const;
  // Checks the state against this order (batches per epoch, generator
  // states) before changing anything. The next new_epoch() then draws the
  // saved epoch's order again, leaves the generator as it was when the
  // state was taken and serves the batches not yet served; after a finished
  // epoch it starts the next one from that generator state.
  void load_state_dict(const io::Archive& state);

  std::size_t num_batches() const;
  // batch_size x num_replicas: the samples all processes take together per batch.
  std::size_t global_batch_size() const;
  // The samples this process serves per epoch: its share of every global
  // batch, without a dropped last batch. DistributedSampler pads its shards
  // to ceil(N / num_replicas) instead; here ranks are not padded, so a share
  // of the last batch may be smaller.
  std::size_t num_samples() const;
  const DataLoaderOptions& options() const { return options_; }

  // This process's samples of batch `batch` of the current epoch, in order.
  std::span<const std::size_t> batch(std::size_t batch) const;

 private:
  struct Resume {
    std::optional<std::string> epoch_start;  // set when the saved epoch was not finished
    std::size_t served;
    std::string generator;
  };
  void draw();

  DataLoaderOptions options_;
  Generator* generator_;
  const char* loader_;
  std::vector<std::size_t> order_;
  std::string epoch_start_;  // the generator's state before this epoch's order was drawn
  std::size_t served_ = 0;
  bool started_ = false;
  std::optional<Resume> resume_;
};

}  // namespace xg::datasets
