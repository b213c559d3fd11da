// Ops that move elements without changing them: transpose, reshape, concat.

#include <algorithm>

#include <xtensor/xmanipulation.hpp>

#include <xgrad/autograd/function.hpp>
#include <xgrad/autograd/ops.hpp>

namespace xg {

using autograd::record;

// The adjoint of reversing the axes is reversing them again.
template <class S>
BasicTensor<S> transpose(const BasicTensor<S>& x) {
  return record<S>("transpose", Array<S>(xt::transpose(x.value())), {&x}, [](Node<S>& self) {
    self.inputs[0]->accumulate_grad(xt::transpose(self.grad));
  });
}

template <class S>
BasicTensor<S> reshape(const BasicTensor<S>& x, const Shape& shape) {
  if (checked_numel("reshape", shape) != x.numel())
    throw_shape_error("reshape", "cannot reshape " + shape_to_string(x.shape()) + " (" +
                                     std::to_string(x.numel()) + " elements) to " + shape_to_string(shape));
  Array<S> out = x.value();
  out.reshape(shape);
  return record<S>("reshape", std::move(out), {&x}, [](Node<S>& self) {
    auto& in = *self.inputs[0];
    self.grad.reshape(in.value.shape());
    in.accumulate_grad(self.grad);
  });
}

// Joins along `axis`: viewing every array as (outer, extent, inner), each
// outer block of the result is the inputs' blocks one after another, and the
// backward hands each input back its part of every block.
template <class S>
BasicTensor<S> concat(const std::vector<BasicTensor<S>>& xs, long axis) {
  if (xs.empty()) throw std::invalid_argument("concat: needs at least one tensor, got an empty list");
  for (std::size_t t = 0; t < xs.size(); ++t)
    if (!xs[t].defined())
      throw std::invalid_argument("concat: tensor " + std::to_string(t) + " is undefined (default-constructed)");
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
                                      shape_to_string(shape) + " (tensor " + std::to_string(t) +
                                      ") along axis " + std::to_string(ax) +
                                      ": all other dimensions must match");
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

template BasicTensor<float> transpose(const BasicTensor<float>&);
template BasicTensor<double> transpose(const BasicTensor<double>&);
template BasicTensor<float> reshape(const BasicTensor<float>&, const Shape&);
template BasicTensor<double> reshape(const BasicTensor<double>&, const Shape&);
template BasicTensor<float> concat(const std::vector<BasicTensor<float>>&, long);
template BasicTensor<double> concat(const std::vector<BasicTensor<double>>&, long);

}  // namespace xg
