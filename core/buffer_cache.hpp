#pragma once
// The allocator of every tensor's values and gradients. A training step asks
// for the same buffer sizes as the step before it, so blocks freed by one step
// are kept, per thread and by exact size, and handed to the next: the steady
// state allocates nothing (bench_compare --allocations counts it), and large
// buffers are not given back to the kernel and faulted in again each step
// (glibc trims the heap top and unmaps blocks above its mmap threshold, which
// cost a Conv2d step more than its GEMMs). Blocks are 64-byte aligned, enough
// for every SIMD width. Under AddressSanitizer nothing is cached, so a read
// of a freed buffer is still reported.

#include <cstddef>
#include <limits>
#include <new>
#include <vector>

namespace xg {

namespace detail {
void* cached_allocate(std::size_t bytes);
void cached_deallocate(void* block, std::size_t bytes) noexcept;
// What the calling thread keeps for reuse, in bytes.
std::size_t cached_bytes() noexcept;
// Gives the calling thread's kept blocks back to the heap.
void release_cached_buffers() noexcept;
// False when the library was built with AddressSanitizer: every freed block
// then goes straight back to the heap.
bool caches_freed_buffers() noexcept;
}  // namespace detail

// In a namespace of its own: every Array names this type, so argument-dependent
// lookup from inside xtensor (an unqualified sum or mean) searches this
// namespace, and would find xg's tensor functions if it were xg itself.
namespace memory {

template <class T>
struct BufferAllocator {
  using value_type = T;

  BufferAllocator() noexcept = default;
  template <class U>
  BufferAllocator(const BufferAllocator<U>&) noexcept {}

  T* allocate(std::size_t n) {
    if (n > std::numeric_limits<std::size_t>::max() / sizeof(T)) throw std::bad_array_new_length();
    return static_cast<T*>(detail::cached_allocate(n * sizeof(T)));
  }
  void deallocate(T* p, std::size_t n) noexcept { detail::cached_deallocate(p, n * sizeof(T)); }

  friend bool operator==(const BufferAllocator&, const BufferAllocator&) noexcept { return true; }
};

}  // namespace memory

// For what a graph keeps per step besides arrays (a node's inputs, a
// backward's saved indices).
template <class T>
using BufferVector = std::vector<T, memory::BufferAllocator<T>>;

}  // namespace xg
