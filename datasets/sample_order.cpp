#include <xgrad/datasets/sample_order.hpp>

#include <algorithm>
#include <numeric>

#include <xgrad/core/error.hpp>
#include <xgrad/datasets/shuffle.hpp>

namespace xg::datasets {

SampleOrder::SampleOrder(std::size_t samples, DataLoaderOptions options, Generator& generator, const char* loader)
    : options_(options), generator_(&generator), order_(samples) {
  if (options_.batch_size == 0) throw_invalid_argument(loader, "batch_size must be positive");
  std::iota(order_.begin(), order_.end(), std::size_t{0});
}

void SampleOrder::new_epoch() {
  if (!options_.shuffle) return;
  std::iota(order_.begin(), order_.end(), std::size_t{0});
  shuffle(order_, *generator_);
}

std::size_t SampleOrder::num_batches() const {
  const std::size_t n = order_.size(), b = options_.batch_size;
  return options_.drop_last ? n / b : (n + b - 1) / b;
}

std::span<const std::size_t> SampleOrder::batch(std::size_t batch) const {
  const std::size_t first = batch * options_.batch_size;
  return std::span<const std::size_t>(order_).subspan(first, std::min(options_.batch_size, order_.size() - first));
}

}  // namespace xg::datasets
