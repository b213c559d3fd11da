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
};

class SampleOrder {
 public:
  // `loader` names the caller in the exception thrown for a batch_size of 0.
  // The generator must outlive the order.
  SampleOrder(std::size_t samples, DataLoaderOptions options, Generator& generator, const char* loader);

  // Starts an epoch: with options.shuffle, draws a new order from the generator.
  void new_epoch();

  std::size_t num_batches() const;
  std::size_t num_samples() const { return order_.size(); }
  const DataLoaderOptions& options() const { return options_; }

  // The samples of batch `batch` of the current epoch, in order.
  std::span<const std::size_t> batch(std::size_t batch) const;

 private:
  DataLoaderOptions options_;
  Generator* generator_;
  std::vector<std::size_t> order_;
};

}  // namespace xg::datasets
