#include <xgrad/core/buffer_cache.hpp>
#include <xgrad/core/detail/shared_storage.hpp>

#include <algorithm>
#include <cstdint>
#include <limits>
#include <new>
#include <vector>

namespace xg::detail {

namespace {

#if defined(__SANITIZE_ADDRESS__)
constexpr bool keep_blocks = false;
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
constexpr bool keep_blocks = false;
#else
constexpr bool keep_blocks = true;
#endif
#else
constexpr bool keep_blocks = true;
#endif

constexpr std::size_t alignment = 64;
// A thread keeps at most this much: a step's buffers several times over for
// the models this library is for, and a bound on what a thread that stopped
// training holds on to.
constexpr std::size_t max_cached_bytes = std::size_t{256} << 20;

std::size_t block_size(std::size_t bytes) {
  return bytes == 0 ? alignment : (bytes + alignment - 1) / alignment * alignment;
}

void* heap_allocate(std::size_t block) { return ::operator new (block, std::align_val_t{alignment}); }
void heap_free(void* p) noexcept { ::operator delete (p, std::align_val_t{alignment}); }

// Blocks by size in an open-addressed table: a step uses a few dozen sizes,
// each with a few buffers alive at once.
class Cache {
 public:
  static constexpr std::size_t bins = 512;
  static constexpr std::size_t probes = 8;

  ~Cache() {
    release();
    destroyed = true;
  }

  void* take(std::size_t block) {
    for (std::size_t p = 0; p < probes; ++p) {
      Bin& bin = bins_[slot(block, p)];
      if (bin.size == block && !bin.blocks.empty()) {
        bin.last_use = ++clock_;
        total_ -= block;
        void* p = bin.blocks.back();
        bin.blocks.pop_back();
        return p;
      }
    }
    return nullptr;
  }

  bool keep(void* p, std::size_t block) {
    // The bin of this size, or an empty one, or else the least recently used
    // of those probed, emptied: sizes a program stopped using (another
    // model's, the last epoch's evaluation) must not crowd out the sizes of
    // the steps it runs now.
    Bin* chosen = nullptr;
    for (std::size_t q = 0; q < probes; ++q) {
      Bin& bin = bins_[slot(block, q)];
      if (bin.size == block) {
        chosen = &bin;
        break;
      }
      if (!chosen || (!chosen->blocks.empty() && (bin.blocks.empty() || bin.last_use < chosen->last_use)))
        chosen = &bin;
    }
    if (chosen->size != block) {
      empty(*chosen);
      chosen->size = block;
    }
    if (chosen->blocks.size() >= blocks_per_bin(block) || total_ + block > max_cached_bytes) return false;
    try {
      chosen->blocks.push_back(p);
    } catch (const std::bad_alloc&) {
      return false;
    }
    chosen->last_use = ++clock_;
    total_ += block;
    return true;
  }

  void release() noexcept {
    for (Bin& bin : bins_) empty(bin);
  }

  std::size_t total() const noexcept { return total_; }

  // Read after the thread's Cache is gone (a thread_local destroyed before
  // another that still frees a tensor): such frees go straight to the heap.
  static thread_local bool destroyed;

 private:
  struct Bin {
    std::size_t size = 0;
    std::uint64_t last_use = 0;
    std::vector<void*> blocks;  // grows during the first steps only
  };

  // Many small blocks are alive at once (a node's input list and recorded
  // shapes, 0-d values), few large ones.
  static std::size_t blocks_per_bin(std::size_t block) {
    return std::clamp<std::size_t>((std::size_t{4} << 20) / block, 16, 4096);
  }

  void empty(Bin& bin) noexcept {
    total_ -= bin.blocks.size() * bin.size;
    for (void* p : bin.blocks) heap_free(p);
    bin.blocks.clear();
  }

  static std::size_t slot(std::size_t block, std::size_t probe) {
    const std::uint64_t h = static_cast<std::uint64_t>(block / alignment) * 0x9E3779B97F4A7C15ull;
    return (static_cast<std::size_t>(h >> 55) + probe) % bins;  // the top 9 bits: 512 bins
  }

  Bin bins_[bins];
  std::size_t total_ = 0;
  std::uint64_t clock_ = 0;
};

thread_local bool Cache::destroyed = false;

Cache* thread_cache() {
  if (!keep_blocks || Cache::destroyed) return nullptr;
  thread_local Cache cache;
  return &cache;
}

}  // namespace

void* cached_allocate(std::size_t bytes) {
  if (bytes > std::numeric_limits<std::size_t>::max() - alignment) throw std::bad_alloc();
  if (void* view = take_view_allocation(bytes)) return view;
  const std::size_t block = block_size(bytes);
  if (Cache* cache = thread_cache())
    if (void* p = cache->take(block)) return p;
  return heap_allocate(block);
}

void cached_deallocate(void* p, std::size_t bytes) noexcept {
  if (!p) return;
  void* shared_start = nullptr;
  std::size_t shared_bytes = 0;
  if (release_shared(p, shared_start, shared_bytes)) {
    // The block goes back only with the last array that reads it.
    if (shared_start) cached_deallocate(shared_start, shared_bytes);
    return;
  }
  const std::size_t block = block_size(bytes);
  if (Cache* cache = thread_cache())
    if (cache->keep(p, block)) return;
  heap_free(p);
}

std::size_t cached_bytes() noexcept {
  Cache* cache = thread_cache();
  return cache ? cache->total() : 0;
}

bool caches_freed_buffers() noexcept { return keep_blocks; }

void release_cached_buffers() noexcept {
  if (Cache* cache = thread_cache()) cache->release();
}

}  // namespace xg::detail
