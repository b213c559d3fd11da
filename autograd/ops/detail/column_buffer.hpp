#pragma once
// The im2col column buffers of conv (ops/conv.cpp), recycled between steps: a
// forward takes one, its backward closure owns it (the columns give the
// weight's gradient without a second im2col), and releasing the graph gives
// it back for the next step's forward of the same shapes. One free list for
// all threads, under a mutex: two graphs alive at once hold two buffers, and
// a graph built on one thread may be released on another.

#include <cstddef>
#include <memory>
#include <mutex>
#include <utility>
#include <vector>

namespace xg::detail {

template <class S>
class ColumnBuffer {
 public:
  // At least `size` elements, uninitialized (im2col writes every one).
  static std::shared_ptr<ColumnBuffer> acquire(std::size_t size) {
    auto buffer = std::shared_ptr<ColumnBuffer>(new ColumnBuffer());
    FreeList& free = free_list();
    {
      const std::lock_guard lock(free.mutex);
      auto best = free.entries.end();
      for (auto it = free.entries.begin(); it != free.entries.end(); ++it)
        if (it->second >= size && (best == free.entries.end() || it->second < best->second)) best = it;
      if (best != free.entries.end()) {
        buffer->storage_ = std::move(*best);
        free.entries.erase(best);
      }
    }
    if (!buffer->storage_.first) buffer->storage_ = {std::make_unique_for_overwrite<S[]>(size), size};
    return buffer;
  }

  ColumnBuffer(const ColumnBuffer&) = delete;
  ColumnBuffer& operator=(const ColumnBuffer&) = delete;

  ~ColumnBuffer() {
    FreeList& free = free_list();
    const std::lock_guard lock(free.mutex);
    // A few layers' worth: beyond that the smallest buffer is the least likely to be asked for again.
    constexpr std::size_t kept = 8;
    free.entries.push_back(std::move(storage_));
    if (free.entries.size() > kept) {
      auto smallest = free.entries.begin();
      for (auto it = free.entries.begin(); it != free.entries.end(); ++it)
        if (it->second < smallest->second) smallest = it;
      free.entries.erase(smallest);
    }
  }

  S* data() const { return storage_.first.get(); }

 private:
  using Storage = std::pair<std::unique_ptr<S[]>, std::size_t>;  // elements and their count
  struct FreeList {
    std::mutex mutex;
    std::vector<Storage> entries;
  };

  ColumnBuffer() = default;

  // Never destroyed: a graph released during static destruction still finds it.
  static FreeList& free_list() {
    static FreeList* const list = new FreeList();
    return *list;
  }

  Storage storage_;
};

}  // namespace xg::detail
