#pragma once
// What every data loader shares: the epoch's order (shuffling, sharding
// {.num_replicas, .rank}, drop_last), iteration and state_dict. A loader is
// this template over a Gather policy that says how a batch is put together
// from the samples SampleOrder picks:
//
//   struct Gather {
//     using Batch = ...;                        // what the loop receives
//     static constexpr const char* name = ...;  // the loader, for messages
//     std::size_t num_samples() const;
//     void fill(std::span<const std::size_t> samples, Batch& out) const;
//   };
//
// DataLoader (dense rows and labels), TargetDataLoader (dense rows and float
// targets) and CsrDataLoader (CSR rows and labels) are its thin subclasses,
// so given generators seeded alike they all serve the same batches.

#include <cstddef>
#include <iterator>
#include <utility>

#include <xgrad/core/archive.hpp>
#include <xgrad/core/generator.hpp>
#include <xgrad/datasets/sample_order.hpp>

namespace xg::datasets {

// One epoch of a loader's batches as an input iterator, up to
// std::default_sentinel: the loader fills one batch at a time and counts it
// as served in its SampleOrder.
template <class Loader, class Batch>
class BatchIterator {
 public:
  using value_type = Batch;
  using difference_type = std::ptrdiff_t;

  BatchIterator() = default;

  const Batch& operator*() const { return batch_; }
  const Batch* operator->() const { return &batch_; }
  BatchIterator& operator++() {
    if (++index_ < count_) serve();
    return *this;
  }
  void operator++(int) { ++*this; }
  friend bool operator==(const BatchIterator& it, std::default_sentinel_t) { return it.index_ >= it.count_; }

 private:
  friend Loader;
  // Starts at batch `first` of the epoch (0, or where a resumed epoch was).
  BatchIterator(Loader& loader, std::size_t first) : loader_(&loader), index_(first), count_(loader.size()) {
    if (index_ < count_) serve();
  }
  // The loader's SampleOrder counts the batch as served (its state_dict).
  void serve() {
    loader_->fill(index_, batch_);
    loader_->order_.served(index_);
  }

  Loader* loader_ = nullptr;
  std::size_t index_ = 0;
  std::size_t count_ = 0;
  Batch batch_;
};

template <class Gather>
class BatchLoader {
 public:
  using Batch = typename Gather::Batch;
  using Iterator = BatchIterator<BatchLoader, Batch>;

  // A new epoch. Starting one ends any iteration still running on this loader.
  Iterator begin() {
    const std::size_t first = order_.new_epoch();
    return Iterator(*this, first);
  }
  std::default_sentinel_t end() const { return {}; }

  std::size_t size() const { return order_.num_batches(); }  // batches per epoch
  std::size_t num_samples() const { return order_.num_samples(); }
  const DataLoaderOptions& options() const { return order_.options(); }

  // The position in the epoch and the generator's states, to resume
  // mid-epoch bit-identically: see SampleOrder::state_dict.
  io::Archive state_dict() const { return order_.state_dict(); }
  void load_state_dict(const io::Archive& state) { order_.load_state_dict(state); }

 protected:
  // The generator must outlive the loader.
  BatchLoader(Gather gather, DataLoaderOptions options, Generator& generator)
      : gather_(std::move(gather)), order_(gather_.num_samples(), options, generator, Gather::name) {}

 private:
  friend Iterator;
  void fill(std::size_t batch, Batch& out) const { gather_.fill(order_.batch(batch), out); }

  Gather gather_;
  SampleOrder order_;
};

}  // namespace xg::datasets
