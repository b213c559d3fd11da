#pragma once
// The order in which a loader visits its samples, cut into batches and drawn
// anew at every epoch. DataLoader and CsrDataLoader both take theirs from
// here, so that given generators seeded alike they serve the same batches.

#include <cstddef>
#include <span>
#include <vector>

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

  // Starts an epoch: with options.shuffle, draws a new order from the generator.
  void new_epoch();

  std::size_t num_batches() const;
  // batch_size x num_replicas: the samples all processes take together per batch.
  std::size_t global_batch_size() const;
  std::size_t num_samples() const { return order_.size(); }
  const DataLoaderOptions& options() const { return options_; }

  // This process's samples of batch `batch` of the current epoch, in order.
  std::span<const std::size_t> batch(std::size_t batch) const;

 private:
  DataLoaderOptions options_;
  Generator* generator_;
  std::vector<std::size_t> order_;
};

}  // namespace xg::datasets
