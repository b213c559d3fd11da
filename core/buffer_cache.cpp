#include <xgrad/core/buffer_cache.hpp>

#include <cstdint>
#include <limits>
#include <new>

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

std::size_t block_size(std::size_t bytes) { return bytes == 0 ? alignment : (bytes + alignment - 1) / alignment * alignment; }

void* heap_allocate(std::size_t block) { return ::operator new(block, std::align_val_t{alignment}); }
void heap_free(void* p) noexcept { ::operator delete(p, std::align_val_t{alignment}); }

// Blocks by size in an open-addressed table: a step uses a few dozen sizes,
// each with a few buffers alive at once.
class Cache {
 public:
  static constexpr std::size_t bins = 256;
  static constexpr std::size_t blocks_per_bin = 16;
  static constexpr std::size_t probes = 8;

  ~Cache() {
    release();
    destroyed = true;
  }

  void* take(std::size_t block) {
    for (std::size_t p = 0; p < probes; ++p) {
      Bin& bin = bins_[slot(block, p)];
      if (bin.size == block && bin.count > 0) {
        total_ -= block;
        return bin.blocks[--bin.count];
      }
    }
    return nullptr;
  }

  bool keep(void* p, std::size_t block) {
    if (total_ + block > max_cached_bytes) return false;
    Bin* free_bin = nullptr;
    for (std::size_t q = 0; q < probes; ++q) {
      Bin& bin = bins_[slot(block, q)];
      if (bin.size == block) {
        if (bin.count == blocks_per_bin) return false;
        bin.blocks[bin.count++] = p;
        total_ += block;
        return true;
      }
      if (bin.count == 0 && !free_bin) free_bin = &bin;
    }
    if (!free_bin) return false;
    free_bin->size = block;
    free_bin->blocks[free_bin->count++] = p;
    total_ += block;
    return true;
  }

  void release() noexcept {
    for (Bin& bin : bins_) {
      while (bin.count > 0) heap_free(bin.blocks[--bin.count]);
    }
    total_ = 0;
  }

  std::size_t total() const noexcept { return total_; }

  // Read after the thread's Cache is gone (a thread_local destroyed before
  // another that still frees a tensor): such frees go straight to the heap.
  static thread_local bool destroyed;

 private:
  struct Bin {
    std::size_t size = 0;
    std::size_t count = 0;
    void* blocks[blocks_per_bin];
  };

  static std::size_t slot(std::size_t block, std::size_t probe) {
    const std::uint64_t h = static_cast<std::uint64_t>(block / alignment) * 0x9E3779B97F4A7C15ull;
    return (static_cast<std::size_t>(h >> 56) + probe) % bins;
  }

  Bin bins_[bins];
  std::size_t total_ = 0;
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
  const std::size_t block = block_size(bytes);
  if (Cache* cache = thread_cache())
    if (void* p = cache->take(block)) return p;
  return heap_allocate(block);
}

void cached_deallocate(void* p, std::size_t bytes) noexcept {
  if (!p) return;
  const std::size_t block = block_size(bytes);
  if (Cache* cache = thread_cache())
    if (cache->keep(p, block)) return;
  heap_free(p);
}

std::size_t cached_bytes() noexcept {
  Cache* cache = thread_cache();
  return cache ? cache->total() : 0;
}

void release_cached_buffers() noexcept {
  if (Cache* cache = thread_cache()) cache->release();
}

}  // namespace xg::detail
