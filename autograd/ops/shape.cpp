// Ops that move elements without changing them: transpose, permute, expand,
// reshape and its named forms (squeeze, unsqueeze, flatten), concat, stack.

#include <algorithm>
#include <string>

#include <xtensor/xmanipulation.hpp>

#include <xgrad/autograd/detail/region.hpp>
#include <xgrad/autograd/function.hpp>
#include <xgrad/autograd/ops.hpp>
#include <xgrad/core/detail/shared_storage.hpp>

namespace xg {

using autograd::record;

// The adjoint of reversing the axes is reversing them again.
template <class S>
BasicTensor<S> transpose(const BasicTensor<S>& x) {
  return record<S>("transpose", Array<S>(xt::transpose(x.value())), {&x},
                   [](Node<S>& self) { self.inputs[0]->accumulate_grad(xt::transpose(self.grad)); });
}

namespace {

// The elements of x in the same order under another shape, recorded as `op`.
template <class S>
BasicTensor<S> reshaped(const char* op, const BasicTensor<S>& x, const Shape& shape) {
  if (checked_numel(op, shape) != x.numel())
    throw_shape_error(op, "cannot reshape " + shape_to_string(x.shape()) + " (" + std::to_string(x.numel()) +
                              " elements) to " + shape_to_string(shape));
  // The same elements in the same order: a view, as torch.reshape gives for
  // a contiguous input (and every Array is contiguous).
  Array<S> out = detail::view_of(x.value(), 0, shape);
  return record<S>(op, std::move(out), {&x}, [](Node<S>& self) {
    auto& in = *self.inputs[0];
    self.grad.reshape(in.value.shape());
    in.accumulate_grad(self.grad);
  });
}

// The tensors to join: at least one, every one defined.
template <class S>
void check_tensor_list(const std::string& op, const std::vector<BasicTensor<S>>& xs) {
  if (xs.empty()) throw std::invalid_argument(op + ": needs at least one tensor, got an empty list");
  for (std::size_t t = 0; t < xs.size(); ++t)
    if (!xs[t].defined())
      throw std::invalid_argument(op + ": tensor " + std::to_string(t) + " is undefined (default-constructed)");
}

// An axis where a new one may go: 0 to rank inclusive, or negative from the end.
std::size_t normalize_new_axis(const char* op, long axis, std::size_t rank) {
  const long r = static_cast<long>(rank);
  if (axis < -r - 1 || axis > r)
    throw std::invalid_argument(std::string(op) + ": axis " + std::to_string(axis) +
                                " is out of range for inserting into a " + std::to_string(rank) +
                                "-D tensor (valid: " + std::to_string(-r - 1) + " to " + std::to_string(r) + ")");
  return static_cast<std::size_t>(axis < 0 ? axis + r + 1 : axis);
}

std::string list_to_string(const std::vector<long>& v) {
  std::string s = "(";
  for (std::size_t i = 0; i < v.size(); ++i) s += (i ? ", " : "") + std::to_string(v[i]);
  return s + (v.size() == 1 ? ",)" : ")");
}

// Output axis d is input axis axes[d].
template <class S>
BasicTensor<S> permuted(const char* op, const BasicTensor<S>& x, const std::vector<std::size_t>& axes) {
  const autograd::Region whole = autograd::whole_region(x.shape());
  autograd::Region r;
  for (auto a : axes) {
    r.extents.push_back(whole.extents[a]);
    r.strides.push_back(whole.strides[a]);
  }
  return autograd::record_region(op, x, std::move(r));
}

// x repeated along the axes of `shape` where it has size 1 or no axis
// (stride 0); -1 keeps a dimension. Backward sums the repeats.
template <class S>
BasicTensor<S> expanded(const char* op, const BasicTensor<S>& x, const std::vector<long>& shape) {
  const std::size_t rank = x.dim();
  auto refuse = [&](const std::string& why) {
    throw_shape_error(op, "cannot expand a tensor of shape " + shape_to_string(x.shape()) + " to " +
                              list_to_string(shape) + ": " + why);
  };
  if (shape.size() < rank) refuse("the target has fewer dimensions than the tensor");
  const std::size_t lead = shape.size() - rank;
  const autograd::Region whole = autograd::whole_region(x.shape());
  autograd::Region r;
  for (std::size_t d = 0; d < shape.size(); ++d) {
    const long want = shape[d];
    if (want < -1) refuse("size " + std::to_string(want) + " for dimension " + std::to_string(d) + " is negative");
    if (d < lead) {
      if (want < 0)
        refuse("-1 is only allowed for existing dimensions, not the new leading dimension " + std::to_string(d));
      r.extents.push_back(static_cast<std::size_t>(want));
      r.strides.push_back(0);
      continue;
    }
    const std::size_t have = x.shape()[d - lead];
    if (want == -1 || static_cast<std::size_t>(want) == have) {
      r.extents.push_back(have);
      r.strides.push_back(whole.strides[d - lead]);
    } else if (want >= 0 && have == 1) {
      r.extents.push_back(static_cast<std::size_t>(want));
      r.strides.push_back(0);
    } else {
      refuse("dimension " + std::to_string(d) + " has size " + std::to_string(have) + ", which is not 1 and not " +
             std::to_string(want));
    }
  }
  checked_numel(op, r.extents);
  return autograd::record_region(op, x, std::move(r));
}

}  // namespace

template <class S>
BasicTensor<S> reshape(const BasicTensor<S>& x, const Shape& shape) {
  return reshaped("reshape", x, shape);
}

template <class S>
BasicTensor<S> permute(const BasicTensor<S>& x, const std::vector<long>& axes) {
  const std::size_t rank = x.dim();
  std::vector<std::size_t> absolute;
  std::vector<bool> seen(rank, false);
  bool valid = axes.size() == rank;
  for (std::size_t i = 0; valid && i < rank; ++i) {
    const long r = static_cast<long>(rank);
    valid = axes[i] >= -r && axes[i] < r;
    if (!valid) break;
    const std::size_t a = static_cast<std::size_t>(axes[i] < 0 ? axes[i] + r : axes[i]);
    valid = !seen[a];
    seen[a] = true;
    absolute.push_back(a);
  }
  if (!valid)
    throw std::invalid_argument("permute: " + list_to_string(axes) + " is not a permutation of the " +
                                std::to_string(rank) + " axes of a tensor of shape " + shape_to_string(x.shape()));
  return permuted("permute", x, absolute);
}

template <class S>
BasicTensor<S> transpose(const BasicTensor<S>& x, long a, long b) {
  std::vector<std::size_t> axes(x.dim());
  for (std::size_t i = 0; i < axes.size(); ++i) axes[i] = i;
  std::swap(axes[autograd::normalize_axis("transpose", a, x.dim())],
            axes[autograd::normalize_axis("transpose", b, x.dim())]);
  return permuted("transpose", x, axes);
}

template <class S>
BasicTensor<S> squeeze(const BasicTensor<S>& x) {
  Shape shape;
  for (auto d : x.shape())
    if (d != 1) shape.push_back(d);
  return reshaped("squeeze", x, shape);
}

// As torch.squeeze(x, dim): an axis whose size is not 1 is left as it is.
template <class S>
BasicTensor<S> squeeze(const BasicTensor<S>& x, long axis) {
  Shape shape = to_shape(x.shape());
  const std::size_t ax = autograd::normalize_axis("squeeze", axis, shape.size());
  if (shape[ax] == 1) shape.erase(shape.begin() + static_cast<long>(ax));
  return reshaped("squeeze", x, shape);
}

template <class S>
BasicTensor<S> unsqueeze(const BasicTensor<S>& x, long axis) {
  Shape shape = to_shape(x.shape());
  shape.insert(shape.begin() + static_cast<long>(normalize_new_axis("unsqueeze", axis, shape.size())), 1);
  return reshaped("unsqueeze", x, shape);
}

// Axes start to end (inclusive) merged into one; a 0-D tensor becomes (1,).
template <class S>
BasicTensor<S> flatten(const BasicTensor<S>& x, long start, long end) {
  if (x.dim() == 0) return reshaped("flatten", x, Shape{1});
  const std::size_t first = autograd::normalize_axis("flatten", start, x.dim());
  const std::size_t last = autograd::normalize_axis("flatten", end, x.dim());
  if (first > last)
    throw std::invalid_argument("flatten: start axis " + std::to_string(start) + " comes after end axis " +
                                std::to_string(end) + " for a tensor of shape " + shape_to_string(x.shape()));
  Shape shape(x.shape().begin(), x.shape().begin() + static_cast<long>(first));
  std::size_t merged = 1;
  for (std::size_t d = first; d <= last; ++d) merged *= x.shape()[d];
  shape.push_back(merged);
  shape.insert(shape.end(), x.shape().begin() + static_cast<long>(last) + 1, x.shape().end());
  return reshaped("flatten", x, shape);
}

template <class S>
BasicTensor<S> expand(const BasicTensor<S>& x, const std::vector<long>& shape) {
  return expanded("expand", x, shape);
}

template <class S>
BasicTensor<S> broadcast_to(const BasicTensor<S>& x, const std::vector<long>& shape) {
  return expanded("broadcast_to", x, shape);
}

// Joins along `axis`: viewing every array as (outer, extent, inner), each
// outer block of the result is the inputs' blocks one after another, and the
// backward hands each input back its part of every block.
template <class S>
BasicTensor<S> concat(const std::vector<BasicTensor<S>>& xs, long axis) {
  check_tensor_list("concat", xs);
  const auto& first = xs.front().shape();
  if (first.size() == 0) throw_shape_error("concat", "cannot join 0-D tensors; reshape them to (1,) first");
  const std::size_t ax = autograd::normalize_axis("concat", axis, first.size());
  Shape out_shape(first.begin(), first.end());
  out_shape[ax] = 0;
  std::vector<std::size_t> extents;
  extents.reserve(xs.size());
  for (std::size_t t = 0; t < xs.size(); ++t) {
    const auto& shape = xs[t].shape();
    bool fits = shape.size() == first.size();
    for (std::size_t i = 0; fits && i < shape.size(); ++i) fits = i == ax || shape[i] == first[i];
    if (!fits)
      throw_shape_error("concat", "cannot join " + shape_to_string(first) + " (tensor 0) with " +
                                      shape_to_string(shape) + " (tensor " + std::to_string(t) + ") along axis " +
                                      std::to_string(ax) + ": all other dimensions must match");
    extents.push_back(shape[ax]);
    out_shape[ax] += shape[ax];
  }
  std::size_t outer = 1, inner = 1;
  for (std::size_t i = 0; i < ax; ++i) outer *= first[i];
  for (std::size_t i = ax + 1; i < first.size(); ++i) inner *= first[i];
  const std::size_t row = out_shape[ax] * inner;

  auto out = Array<S>::from_shape(out_shape);
  std::size_t offset = 0;
  for (std::size_t t = 0; t < xs.size(); ++t) {
    const std::size_t block = extents[t] * inner;
    const S* src = xs[t].value().data();
    for (std::size_t o = 0; o < outer; ++o) std::copy_n(src + o * block, block, out.data() + o * row + offset);
    offset += block;
  }
  auto backward = [extents = std::move(extents), outer, inner, row](Node<S>& self) {
    const S* g = self.grad.data();
    std::size_t offset = 0;
    for (std::size_t t = 0; t < extents.size(); ++t) {
      auto& in = *self.inputs[t];
      const std::size_t block = extents[t] * inner;
      if (in.requires_grad) {
        S* dst = autograd::zero_initialized_grad(in).data();
        for (std::size_t o = 0; o < outer; ++o)
          for (std::size_t k = 0; k < block; ++k) dst[o * block + k] += g[o * row + offset + k];
      }
      offset += block;
    }
  };
  return autograd::record<S>("concat", std::move(out), std::span<const BasicTensor<S>>(xs), std::move(backward));
}

// Joins tensors of one shape along a new axis: each gets an axis of size 1
// there, then they are concatenated.
template <class S>
BasicTensor<S> stack(const std::vector<BasicTensor<S>>& xs, long axis) {
  check_tensor_list("stack", xs);
  for (std::size_t t = 1; t < xs.size(); ++t)
    if (!shapes_equal(xs[t].shape(), xs[0].shape()))
      throw_shape_error("stack", "all tensors must have one shape: tensor 0 has shape " +
                                     shape_to_string(xs[0].shape()) + ", tensor " + std::to_string(t) + " has " +
                                     shape_to_string(xs[t].shape()));
  const long ax = static_cast<long>(normalize_new_axis("stack", axis, xs[0].dim()));
  std::vector<BasicTensor<S>> lifted;
  lifted.reserve(xs.size());
  for (const auto& x : xs) lifted.push_back(unsqueeze(x, ax));
  return concat(lifted, ax);
}

#define XGRAD_INSTANTIATE_SHAPE_OPS(S)                                                   \
  template BasicTensor<S> permute(const BasicTensor<S>&, const std::vector<long>&);      \
  template BasicTensor<S> transpose(const BasicTensor<S>&, long, long);                  \
  template BasicTensor<S> squeeze(const BasicTensor<S>&);                                \
  template BasicTensor<S> squeeze(const BasicTensor<S>&, long);                          \
  template BasicTensor<S> unsqueeze(const BasicTensor<S>&, long);                        \
  template BasicTensor<S> flatten(const BasicTensor<S>&, long, long);                    \
  template BasicTensor<S> expand(const BasicTensor<S>&, const std::vector<long>&);       \
  template BasicTensor<S> broadcast_to(const BasicTensor<S>&, const std::vector<long>&); \
  template BasicTensor<S> stack(const std::vector<BasicTensor<S>>&, long);
XGRAD_INSTANTIATE_SHAPE_OPS(float)
XGRAD_INSTANTIATE_SHAPE_OPS(double)

template BasicTensor<float> transpose(const BasicTensor<float>&);
template BasicTensor<double> transpose(const BasicTensor<double>&);
template BasicTensor<float> reshape(const BasicTensor<float>&, const Shape&);
template BasicTensor<double> reshape(const BasicTensor<double>&, const Shape&);
template BasicTensor<float> concat(const std::vector<BasicTensor<float>>&, long);
template BasicTensor<double> concat(const std::vector<BasicTensor<double>>&, long);

}  // namespace xg
