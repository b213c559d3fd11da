#pragma once
// One epoch of a loader's batches as an input iterator, up to
// std::default_sentinel: DataLoader's and CsrDataLoader's Iterator. The
// loader fills one batch at a time through its private fill(index, batch).

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
    if (++index_ < count_) loader_->fill(index_, batch_);
    return *this;
  }
  void operator++(int) { ++*this; }
  friend bool operator==(const BatchIterator& it, std::default_sentinel_t) { return it.index_ >= it.count_; }

 private:
  friend Loader;
  explicit BatchIterator(const Loader& loader) : loader_(&loader), count_(loader.size()) {
    if (count_ > 0) loader_->fill(0, batch_);
  }

  const Loader* loader_ = nullptr;
  std::size_t index_ = 0;
  std::size_t count_ = 0;
  Batch batch_;
};

}  // namespace xg::datasets
