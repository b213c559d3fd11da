// Taking part of a tensor: one position (select), a strided range (slice,
// narrow), several axes at once (index), consecutive pieces (split, chunk).
// All are regions of the input (autograd/region.hpp): the forward copies the
// selected elements only, the backward adds into that region of the input's
// gradient.

#include <string>
#include <vector>

#include <xgrad/autograd/detail/region.hpp>
#include <xgrad/autograd/ops.hpp>

namespace xg {

using autograd::Region;

namespace {

template <class Sh>
std::size_t checked_position(const char* op, long index, std::size_t axis, const Sh& shape) {
  const long size = static_cast<long>(shape[axis]);
  if (index < -size || index >= size)
    throw std::invalid_argument(std::string(op) + ": index " + std::to_string(index) + " is out of range for axis " +
                                std::to_string(axis) + " of size " + std::to_string(size) + " (shape " +
                                shape_to_string(shape) + ")");
  return static_cast<std::size_t>(index < 0 ? index + size : index);
}

// Python's slice.indices(size) for a positive step: (first, count).
std::pair<std::size_t, std::size_t> slice_bounds(const char* op, const Slice& s, std::size_t axis, const Shape& shape) {
  const long step = s.step.value_or(1);
  if (step <= 0)
    throw std::invalid_argument(std::string(op) + ": step must be positive, got " + std::to_string(step) +
                                " for axis " + std::to_string(axis) + " (shape " + shape_to_string(shape) +
                                "); negative steps are not supported, as in PyTorch");
  const long size = static_cast<long>(shape[axis]);
  auto clamp_bound = [size](std::optional<long> bound, long missing) {
    if (!bound) return missing;
    const long b = *bound < 0 ? *bound + size : *bound;
    return b < 0 ? 0 : b > size ? size : b;
  };
  const long start = clamp_bound(s.start, 0), stop = clamp_bound(s.stop, size);
  const long count = stop > start ? (stop - start - 1) / step + 1 : 0;
  return {static_cast<std::size_t>(start), static_cast<std::size_t>(count)};
}

// The input stride of a slice's axis; with at most one element taken the
// step never moves, and multiplying by a huge one could overflow.
std::ptrdiff_t slice_stride(std::ptrdiff_t axis_stride, std::size_t count, long step) {
  return count <= 1 ? axis_stride : axis_stride * step;
}

}  // namespace

namespace autograd {

Region index_region(const char* op, const Shape& shape, const std::vector<TensorIndex>& items) {
  using Kind = TensorIndex::Kind;
  std::size_t consumed = 0, ellipses = 0;
  for (const auto& item : items) {
    if (item.kind() == Kind::integer || item.kind() == Kind::slice) ++consumed;
    if (item.kind() == Kind::ellipsis) ++ellipses;
  }
  if (ellipses > 1)
    throw std::invalid_argument(std::string(op) + ": an index can hold only one Ellipsis, got " +
                                std::to_string(ellipses));
  if (consumed > shape.size())
    throw std::invalid_argument(std::string(op) + ": too many indices for a tensor of shape " + shape_to_string(shape) +
                                ": " + std::to_string(consumed) + " axes indexed, the tensor has " +
                                std::to_string(shape.size()));
  const Region whole = whole_region(shape);
  Region r;
  std::size_t axis = 0;
  auto keep_whole_axis = [&] {
    r.extents.push_back(shape[axis]);
    r.strides.push_back(whole.strides[axis]);
    ++axis;
  };
  for (const auto& item : items) {
    switch (item.kind()) {
      case Kind::integer:
        r.offset +=
            static_cast<std::ptrdiff_t>(checked_position(op, item.integer(), axis, shape)) * whole.strides[axis];
        ++axis;
        break;
      case Kind::slice: {
        const auto [first, count] = slice_bounds(op, item.slice(), axis, shape);
        r.offset += static_cast<std::ptrdiff_t>(first) * whole.strides[axis];
        r.extents.push_back(count);
        r.strides.push_back(slice_stride(whole.strides[axis], count, item.slice().step.value_or(1)));
        ++axis;
        break;
      }
      case Kind::ellipsis:
        for (std::size_t k = 0, n = shape.size() - consumed; k < n; ++k) keep_whole_axis();
        break;
      case Kind::new_axis:
        r.extents.push_back(1);
        r.strides.push_back(0);
        break;
    }
  }
  while (axis < shape.size()) keep_whole_axis();
  return r;
}

}  // namespace autograd

template <class S>
BasicTensor<S> index(const BasicTensor<S>& x, const std::vector<TensorIndex>& items) {
  return autograd::record_region("index", x, autograd::index_region("index", to_shape(x.shape()), items));
}

// x[..., index, ...] with `index` on `axis`: that axis disappears.
template <class S>
BasicTensor<S> select(const BasicTensor<S>& x, long axis, long index) {
  const std::size_t ax = autograd::normalize_axis("select", axis, x.dim());
  Region r = autograd::whole_region(x.shape());
  r.offset = static_cast<std::ptrdiff_t>(checked_position("select", index, ax, x.shape())) * r.strides[ax];
  r.extents.erase(r.extents.begin() + static_cast<long>(ax));
  r.strides.erase(r.strides.begin() + static_cast<long>(ax));
  return autograd::record_region("select", x, std::move(r));
}

template <class S>
BasicTensor<S> slice(const BasicTensor<S>& x, long axis, std::optional<long> start, std::optional<long> stop,
                     long step) {
  const std::size_t ax = autograd::normalize_axis("slice", axis, x.dim());
  const Shape shape = to_shape(x.shape());
  const auto [first, count] = slice_bounds("slice", Slice{start, stop, step}, ax, shape);
  Region r = autograd::whole_region(shape);
  r.offset = static_cast<std::ptrdiff_t>(first) * r.strides[ax];
  r.extents[ax] = count;
  r.strides[ax] = slice_stride(r.strides[ax], count, step);
  return autograd::record_region("slice", x, std::move(r));
}

// Unlike slice, the range must lie inside the axis (as torch.narrow).
template <class S>
BasicTensor<S> narrow(const BasicTensor<S>& x, long axis, long start, std::size_t length) {
  const std::size_t ax = autograd::normalize_axis("narrow", axis, x.dim());
  const std::size_t size = x.shape()[ax];
  const long first = start < 0 ? start + static_cast<long>(size) : start;
  if (first < 0 || static_cast<std::size_t>(first) > size || length > size - static_cast<std::size_t>(first))
    throw std::invalid_argument("narrow: start " + std::to_string(start) + " and length " + std::to_string(length) +
                                " do not fit in axis " + std::to_string(ax) + " of size " + std::to_string(size) +
                                " (shape " + shape_to_string(x.shape()) + ")");
  Region r = autograd::whole_region(x.shape());
  r.offset = first * r.strides[ax];
  r.extents[ax] = length;
  return autograd::record_region("narrow", x, std::move(r));
}

template <class S>
std::vector<BasicTensor<S>> split(const BasicTensor<S>& x, const std::vector<std::size_t>& sizes, long axis) {
  const std::size_t ax = autograd::normalize_axis("split", axis, x.dim());
  std::size_t total = 0;
  for (auto s : sizes) total += s;
  if (total != x.shape()[ax]) {
    std::string listed;
    for (std::size_t i = 0; i < sizes.size(); ++i) listed += (i ? ", " : "") + std::to_string(sizes[i]);
    throw std::invalid_argument("split: sizes [" + listed + "] sum to " + std::to_string(total) + " but axis " +
                                std::to_string(ax) + " has size " + std::to_string(x.shape()[ax]) + " (shape " +
                                shape_to_string(x.shape()) + ")");
  }
  std::vector<BasicTensor<S>> pieces;
  pieces.reserve(sizes.size());
  long start = 0;
  for (auto s : sizes) {
    pieces.push_back(narrow(x, static_cast<long>(ax), start, s));
    start += static_cast<long>(s);
  }
  return pieces;
}

// Pieces of `split_size` along `axis`, the last one shorter when the size
// does not divide (as torch.split).
template <class S>
std::vector<BasicTensor<S>> split(const BasicTensor<S>& x, std::size_t split_size, long axis) {
  const std::size_t ax = autograd::normalize_axis("split", axis, x.dim());
  const std::size_t size = x.shape()[ax];
  if (split_size == 0 && size != 0)
    throw std::invalid_argument("split: split_size must be positive for axis " + std::to_string(ax) + " of size " +
                                std::to_string(size) + " (shape " + shape_to_string(x.shape()) + ")");
  std::vector<std::size_t> sizes;
  for (std::size_t done = 0; done < size; done += split_size) sizes.push_back(std::min(split_size, size - done));
  if (size == 0) sizes.push_back(0);
  return split(x, sizes, axis);
}

// ceil(size / chunks) elements per piece, hence possibly fewer than `chunks`
// pieces (as torch.chunk).
template <class S>
std::vector<BasicTensor<S>> chunk(const BasicTensor<S>& x, std::size_t chunks, long axis) {
  const std::size_t ax = autograd::normalize_axis("chunk", axis, x.dim());
  if (chunks == 0)
    throw std::invalid_argument("chunk: chunks must be positive, got 0 (shape " + shape_to_string(x.shape()) + ")");
  const std::size_t size = x.shape()[ax];
  return split(x, size / chunks + (size % chunks != 0), axis);
}

#define XGRAD_INSTANTIATE(S)                                                                                  \
  template BasicTensor<S> index(const BasicTensor<S>&, const std::vector<TensorIndex>&);                      \
  template BasicTensor<S> select(const BasicTensor<S>&, long, long);                                          \
  template BasicTensor<S> slice(const BasicTensor<S>&, long, std::optional<long>, std::optional<long>, long); \
  template BasicTensor<S> narrow(const BasicTensor<S>&, long, long, std::size_t);                             \
  template std::vector<BasicTensor<S>> split(const BasicTensor<S>&, const std::vector<std::size_t>&, long);   \
  template std::vector<BasicTensor<S>> split(const BasicTensor<S>&, std::size_t, long);                       \
  template std::vector<BasicTensor<S>> chunk(const BasicTensor<S>&, std::size_t, long);
XGRAD_INSTANTIATE(float)
XGRAD_INSTANTIATE(double)

}  // namespace xg
