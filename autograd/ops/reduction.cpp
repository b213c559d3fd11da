// Reductions over all elements or over axes. Backward broadcasts the output
// gradient (with the reduced axes kept as 1) back over the input.

#include <algorithm>

#include <xtensor/xbroadcast.hpp>

#include <xgrad/autograd/function.hpp>
#include <xgrad/autograd/ops.hpp>
#include <xgrad/core/reduce.hpp>

namespace xg {

using autograd::record;

namespace {

// Sorted, distinct, non-negative axes, or an invalid_argument naming `op`.
std::vector<std::size_t> normalized_axes(const char* op, const std::vector<long>& axes, std::size_t rank) {
  std::vector<std::size_t> out;
  for (long a : axes) out.push_back(autograd::normalize_axis(op, a, rank));
  std::sort(out.begin(), out.end());
  if (std::adjacent_find(out.begin(), out.end()) != out.end())
    throw std::invalid_argument(std::string(op) + ": an axis is repeated in the axes given");
  return out;
}

// The input's shape with each reduced axis set to 1.
template <class Sh>
Shape kept_shape(const Sh& shape, const std::vector<std::size_t>& axes) {
  Shape kept(shape.begin(), shape.end());
  for (auto a : axes) kept[a] = 1;
  return kept;
}

Shape reduced_shape(const Shape& kept, const std::vector<std::size_t>& axes, bool keepdims) {
  if (keepdims) return kept;
  Shape out;
  for (std::size_t i = 0; i < kept.size(); ++i)
    if (!std::binary_search(axes.begin(), axes.end(), i)) out.push_back(kept[i]);
  return out;
}

}  // namespace

// d(sum x) / dx_i = 1
template <class S>
BasicTensor<S> sum(const BasicTensor<S>& x) {
  Array<S> total(sum_all(x.value()));
  return record<S>("sum", std::move(total), {&x}, [](Node<S>& self) {
    auto& in = *self.inputs[0];
    in.accumulate_grad(xt::broadcast(self.grad(), in.value.shape()));
  });
}

template <class S>
BasicTensor<S> sum(const BasicTensor<S>& x, const std::vector<long>& axes, bool keepdims) {
  const auto ax = normalized_axes("sum", axes, x.dim());
  const Shape kept = kept_shape(x.shape(), ax);
  Array<S> total = sum_axes(x.value(), ax);
  total.reshape(reduced_shape(kept, ax, keepdims));
  return record<S>("sum", std::move(total), {&x}, [kept](Node<S>& self) {
    auto& in = *self.inputs[0];
    self.grad.reshape(kept);
    in.accumulate_grad(xt::broadcast(self.grad, in.value.shape()));
  });
}

template BasicTensor<float> sum(const BasicTensor<float>&);
template BasicTensor<double> sum(const BasicTensor<double>&);
template BasicTensor<float> sum(const BasicTensor<float>&, const std::vector<long>&, bool);
template BasicTensor<double> sum(const BasicTensor<double>&, const std::vector<long>&, bool);

}  // namespace xg
