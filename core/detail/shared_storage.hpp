#pragma once
// Arrays that share another array's storage: a contiguous slice or a reshape
// returned without copying, as PyTorch returns a view. An Array owns its
// buffer through xtensor's uvector, which frees whatever pointer it holds
// with a stateless allocator, so the sharing is kept beside the buffers: the
// block a view points into is reference-counted here, and the buffer cache
// asks before it takes a freed pointer back. The block lives until the last
// array reading it (its first owner or any view) lets go, whatever order they
// go in, on whatever thread.

#include <cstddef>
#include <stdexcept>

#include <xgrad/core/array.hpp>

namespace xg::detail {

// The calling thread's next cached_allocate of `view_bytes` returns `view`, a
// pointer inside the storage of the array whose data is `base` (`base_bytes`
// long), and counts one more array on that storage.
void expect_view_allocation(const void* base, std::size_t base_bytes, void* view, std::size_t view_bytes) noexcept;
void cancel_view_allocation() noexcept;

// For the buffer cache: the pointer expected by expect_view_allocation, or
// nullptr; and, for a freed pointer, whether it was one of a shared block
// (then `last_start` is the block to free, or nullptr while others read it).
void* take_view_allocation(std::size_t bytes);
bool release_shared(void* p, void*& last_start, std::size_t& last_bytes) noexcept;

// Whether another array reads the storage `data` lies in (a view of it, or
// the array it is a view of): writing into it would change that array too.
bool storage_is_shared(const void* data) noexcept;

// How many distinct data pointers of shared blocks are alive (tests).
std::size_t shared_pointer_count() noexcept;

// Elements [offset, offset + count) of `base`, in `shape`, without a copy:
// writing into either writes into both. The `count` elements of `shape` must
// fit in `base`; an empty shape shares nothing.
template <class S, class Sh>
Array<S> view_of(const Array<S>& base, std::size_t offset, const Sh& shape) {
  std::size_t count = 1;
  for (auto d : shape) count *= static_cast<std::size_t>(d);
  if (count == 0) return Array<S>::from_shape(shape);
  S* view = const_cast<S*>(base.data()) + offset;
  expect_view_allocation(base.data(), base.size() * sizeof(S), view, count * sizeof(S));
  struct Cancel {
    ~Cancel() { cancel_view_allocation(); }
  } cancel;
  Array<S> out = Array<S>::from_shape(shape);
  // from_shape allocates its storage once and leaves a trivial type's
  // elements as they are; the view relies on both.
  if (out.data() != view) throw std::logic_error("view_of: the array did not take the shared storage");
  return out;
}

}  // namespace xg::detail
