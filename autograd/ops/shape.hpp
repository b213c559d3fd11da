#pragma once
// Shape ops, indexing and slicing (ops/shape.cpp, ops/indexing.cpp,
// ops/slicing.cpp). Axes and indices may be negative (from the end).

#include <concepts>
#include <cstddef>
#include <initializer_list>
#include <optional>
#include <span>
#include <stdexcept>
#include <string>
#include <vector>

#include <xgrad/core/tensor.hpp>

namespace xg {

// Reverses the axes (a matrix's transpose).
template <class S>
BasicTensor<S> transpose(const BasicTensor<S>& x);
template <class S>
BasicTensor<S> reshape(const BasicTensor<S>& x, const Shape& shape);
// Joins tensors along `axis`; all other dimensions must agree.
template <class S>
BasicTensor<S> concat(const std::vector<BasicTensor<S>>& xs, long axis = 0);
// Slices of a tensor by index along `axis` (rows for axis 0: x[indices]), as
// torch.index_select(x, axis, indices).
template <class S>
BasicTensor<S> index_select(const BasicTensor<S>& x, std::span<const std::size_t> indices, long axis = 0);
// For a 2-D x of shape (n, c): the n values x[i, indices[i]] (what cross-entropy needs).
template <class S>
BasicTensor<S> gather(const BasicTensor<S>& x, std::span<const std::size_t> indices);

// Each returns a copy of the elements it picks (xgrad's arrays own their
// storage: there are no views); the backward adds into the picked region of
// the input's gradient. Indices may be negative (from the end) as in Python.
// x[..., index, ...] on `axis`, which disappears; t[i] is select(t, 0, i).
template <class S>
BasicTensor<S> select(const BasicTensor<S>& x, long axis, long index);
// x[start:stop:step] on `axis`, with Python's negative bounds and clamping;
// the step must be positive (as in PyTorch).
template <class S>
BasicTensor<S> slice(const BasicTensor<S>& x, long axis, std::optional<long> start = std::nullopt,
                     std::optional<long> stop = std::nullopt, long step = 1);
// `length` elements from `start` on `axis`; the range must fit (as torch.narrow).
template <class S>
BasicTensor<S> narrow(const BasicTensor<S>& x, long axis, long start, std::size_t length);
// Several axes at once, as LibTorch's t.index({Slice(0, 3), 1}) (core/tensor_index.hpp).
template <class S>
BasicTensor<S> index(const BasicTensor<S>& x, const std::vector<TensorIndex>& items);
// index_select(E, {w}) with a braced list of indices of any integer type.
template <class S, std::integral I>
BasicTensor<S> index_select(const BasicTensor<S>& x, std::initializer_list<I> indices, long axis = 0) {
  std::vector<std::size_t> positions;
  positions.reserve(indices.size());
  for (I i : indices) {
    if constexpr (std::is_signed_v<I>)
      if (i < 0)
        throw std::invalid_argument("index_select: index " + std::to_string(i) + " (at position " +
                                    std::to_string(positions.size()) + ") is negative");
    positions.push_back(static_cast<std::size_t>(i));
  }
  return index_select(x, std::span<const std::size_t>(positions), axis);
}
// Consecutive pieces along `axis`: of `split_size` each (the last may be
// shorter), or of the listed sizes, which must sum to the axis's size.
template <class S>
std::vector<BasicTensor<S>> split(const BasicTensor<S>& x, std::size_t split_size, long axis = 0);
template <class S>
std::vector<BasicTensor<S>> split(const BasicTensor<S>& x, const std::vector<std::size_t>& sizes, long axis = 0);
// At most `chunks` pieces of ceil(size / chunks) along `axis` (as torch.chunk).
template <class S>
std::vector<BasicTensor<S>> chunk(const BasicTensor<S>& x, std::size_t chunks, long axis = 0);
// Output axis d is input axis axes[d].
template <class S>
BasicTensor<S> permute(const BasicTensor<S>& x, const std::vector<long>& axes);
// Swaps two axes.
template <class S>
BasicTensor<S> transpose(const BasicTensor<S>& x, long a, long b);
// Drops every axis of size 1, or `axis` only if its size is 1.
template <class S>
BasicTensor<S> squeeze(const BasicTensor<S>& x);
template <class S>
BasicTensor<S> squeeze(const BasicTensor<S>& x, long axis);
// Inserts an axis of size 1 at `axis` (-1 appends).
template <class S>
BasicTensor<S> unsqueeze(const BasicTensor<S>& x, long axis);
// Merges axes start to end (inclusive) into one.
template <class S>
BasicTensor<S> flatten(const BasicTensor<S>& x, long start = 0, long end = -1);
// Joins tensors of one shape along a new axis.
template <class S>
BasicTensor<S> stack(const std::vector<BasicTensor<S>>& xs, long axis = 0);
// Repeats size-1 axes (and adds leading ones) to reach `shape`; -1 keeps a
// dimension. The gradient sums over the repeats.
template <class S>
BasicTensor<S> expand(const BasicTensor<S>& x, const std::vector<long>& shape);
template <class S>
BasicTensor<S> broadcast_to(const BasicTensor<S>& x, const std::vector<long>& shape);

}  // namespace xg
