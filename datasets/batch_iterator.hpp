#pragma once
// One epoch of a loader's batches as an input iterator, up to
// std::default_sentinel: the loaders' Iterator. The loader fills one batch at
// a time through its private fill(index, batch) and counts it as served in
// its private SampleOrder order_.

#include <cstddef>
#include <iterator>

namespace xg::datasets {

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

}  // namespace xg::datasets
