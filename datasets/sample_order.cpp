#include <xgrad/datasets/sample_order.hpp>

#include <algorithm>
#include <numeric>
#include <string>

#include <xgrad/core/error.hpp>
#include <xgrad/datasets/shuffle.hpp>

namespace xg::datasets {

SampleOrder::SampleOrder(std::size_t samples, DataLoaderOptions options, Generator& generator, const char* loader)
    : options_(options), generator_(&generator), order_(samples) {
  if (options_.batch_size == 0) throw_invalid_argument(loader, "batch_size must be positive");
  if (options_.num_replicas == 0) throw_invalid_argument(loader, "num_replicas must be positive");
  if (options_.rank >= options_.num_replicas)
    throw_invalid_argument(loader, "rank " + std::to_string(options_.rank) + " is not below num_replicas " +
                                       std::to_string(options_.num_replicas));
  std::iota(order_.begin(), order_.end(), std::size_t{0});
}

void SampleOrder::new_epoch() {
  if (!options_.shuffle) return;
  std::iota(order_.begin(), order_.end(), std::size_t{0});
  shuffle(order_, *generator_);
}

std::size_t SampleOrder::global_batch_size() const { return options_.batch_size * options_.num_replicas; }

std::size_t SampleOrder::num_batches() const {
  const std::size_t n = order_.size(), b = global_batch_size();
  return options_.drop_last ? n / b : (n + b - 1) / b;
}

std::span<const std::size_t> SampleOrder::batch(std::size_t batch) const {
  const std::size_t first = batch * global_batch_size();
  const std::size_t n = std::min(global_batch_size(), order_.size() - first), p = options_.num_replicas;
  const std::size_t begin = options_.rank * n / p, end = (options_.rank + 1) * n / p;
  return std::span<const std::size_t>(order_).subspan(first + begin, end - begin);
}

}  // namespace xg::datasets
