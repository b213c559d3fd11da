#pragma once
// A strided region of an array: where each element of an op's output sits in
// its input. Selecting, slicing, permuting and expanding are all such regions.
// A region whose elements lie one after the other in the input (rows of a
// row-major array, t[i], a block along the first axis) is returned as a view
// sharing the input's storage (core/detail/shared_storage.hpp), as PyTorch's
// are; the others copy only the region's elements, since an Array is always
// row-major. Either way the backward adds the output's gradient straight into
// the region of the input's gradient, with no temporary the size of the input.

#include <cstddef>
#include <vector>

#include <xgrad/autograd/function.hpp>
#include <xgrad/core/detail/shared_storage.hpp>

namespace xg::autograd {

struct Region {
  std::ptrdiff_t offset = 0;
  Shape extents;                        // the output's shape
  std::vector<std::ptrdiff_t> strides;  // in input elements, per output axis; 0 repeats an element
};

// The whole of an array of `shape`, in row-major order.
template <class S>
Region whole_region(const S& shape) {
  Region r;
  r.extents.assign(shape.begin(), shape.end());
  r.strides.resize(shape.size());
  std::ptrdiff_t stride = 1;
  for (std::size_t d = shape.size(); d-- > 0;) {
    r.strides[d] = stride;
    stride *= static_cast<std::ptrdiff_t>(shape[d]);
  }
  return r;
}

// Calls f(output position, input position) for every element, in the
// output's row-major order; the innermost axis runs as one tight loop.
template <class F>
void for_each_in_region(const Region& r, F&& f) {
  std::size_t total = 1;
  for (auto e : r.extents) total *= e;
  if (total == 0) return;
  const std::size_t rank = r.extents.size();
  if (rank == 0) {
    f(std::size_t{0}, r.offset);
    return;
  }
  const std::size_t inner = r.extents.back();
  const std::ptrdiff_t step = r.strides.back();
  std::vector<std::size_t> counter(rank - 1, 0);
  std::ptrdiff_t base = r.offset;
  for (std::size_t out = 0; out < total; out += inner) {
    for (std::size_t k = 0; k < inner; ++k) f(out + k, base + static_cast<std::ptrdiff_t>(k) * step);
    for (std::size_t d = rank - 1; d-- > 0;) {
      base += r.strides[d];
      if (++counter[d] < r.extents[d]) break;
      base -= r.strides[d] * static_cast<std::ptrdiff_t>(r.extents[d]);
      counter[d] = 0;
    }
  }
}

// Whether the region's elements are consecutive in the input, in the
// region's own row-major order (axes of extent 1 never move).
inline bool is_contiguous(const Region& r) {
  std::ptrdiff_t expected = 1;
  for (std::size_t d = r.extents.size(); d-- > 0;) {
    if (r.extents[d] == 1) continue;
    if (r.strides[d] != expected) return false;
    expected *= static_cast<std::ptrdiff_t>(r.extents[d]);
  }
  return true;
}

template <class S>
Array<S> copy_region(const Array<S>& x, const Region& r) {
  auto out = Array<S>::from_shape(r.extents);
  const S* src = x.data();
  S* dst = out.data();
  for_each_in_region(r, [&](std::size_t o, std::ptrdiff_t i) { dst[o] = src[i]; });
  return out;
}

// The op whose output is region `r` of x; an element the region repeats
// (stride 0) receives the sum of its copies' gradients.
template <class S>
BasicTensor<S> record_region(const char* op, const BasicTensor<S>& x, Region r) {
  Array<S> out = is_contiguous(r) ? xg::detail::view_of(x.value(), static_cast<std::size_t>(r.offset), r.extents)
                                  : copy_region(x.value(), r);
  return record<S>(op, std::move(out), {&x}, [r = std::move(r)](Node<S>& self) {
    S* dst = zero_initialized_grad(*self.inputs[0]).data();
    const S* g = self.grad.data();
    for_each_in_region(r, [&](std::size_t o, std::ptrdiff_t i) { dst[i] += g[o]; });
  });
}

}  // namespace xg::autograd

namespace xg::autograd {

// The region that `items` (as in t.index({...})) pick from an array of
// `shape`, or an exception naming `op` and what was wrong (ops/slicing.cpp).
Region index_region(const char* op, const Shape& shape, const std::vector<TensorIndex>& items);

}  // namespace xg::autograd
