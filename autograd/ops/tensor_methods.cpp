// The methods of BasicTensor that are ops or record on the tape (t.T(),
// t.reshape(...), t[i], t.index(...), t.to<double>(), t.index_put_(...)),
// defined here with the ops rather than in core/, which the ops build on.
#include <algorithm>
#include <string>

#include <xgrad/autograd/detail/region.hpp>
#include <xgrad/autograd/function.hpp>
#include <xgrad/autograd/grad_mode.hpp>
#include <xgrad/autograd/ops.hpp>
#include <xgrad/core/error.hpp>
#include <xgrad/core/tensor.hpp>

namespace xg {

template <class Scalar>
BasicTensor<Scalar> BasicTensor<Scalar>::T() const {
  return xg::transpose(*this);
}

template <class Scalar>
BasicTensor<Scalar> BasicTensor<Scalar>::reshape(const Shape& shape) const {
  return xg::reshape(*this, shape);
}

template <class Scalar>
BasicTensor<Scalar> BasicTensor<Scalar>::operator[](long i) const {
  return xg::select(*this, 0, i);
}

template <class Scalar>
BasicTensor<Scalar> BasicTensor<Scalar>::index(const std::vector<TensorIndex>& items) const {
  return xg::index(*this, items);
}

template <class Scalar>
BasicTensor<Scalar> BasicTensor<Scalar>::select(long axis, long i) const {
  return xg::select(*this, axis, i);
}

template <class Scalar>
BasicTensor<Scalar> BasicTensor<Scalar>::narrow(long axis, long start, std::size_t length) const {
  return xg::narrow(*this, axis, start, length);
}

template <class Scalar>
BasicTensor<Scalar> BasicTensor<Scalar>::permute(const std::vector<long>& axes) const {
  return xg::permute(*this, axes);
}

template <class Scalar>
BasicTensor<Scalar> BasicTensor<Scalar>::transpose(long a, long b) const {
  return xg::transpose(*this, a, b);
}

template <class Scalar>
BasicTensor<Scalar> BasicTensor<Scalar>::squeeze() const {
  return xg::squeeze(*this);
}

template <class Scalar>
BasicTensor<Scalar> BasicTensor<Scalar>::squeeze(long axis) const {
  return xg::squeeze(*this, axis);
}

template <class Scalar>
BasicTensor<Scalar> BasicTensor<Scalar>::unsqueeze(long axis) const {
  return xg::unsqueeze(*this, axis);
}

template <class Scalar>
BasicTensor<Scalar> BasicTensor<Scalar>::flatten(long start, long end) const {
  return xg::flatten(*this, start, end);
}

template <class Scalar>
BasicTensor<Scalar> BasicTensor<Scalar>::expand(const std::vector<long>& shape) const {
  return xg::expand(*this, shape);
}

template <class Scalar>
std::vector<BasicTensor<Scalar>> BasicTensor<Scalar>::split(std::size_t split_size, long axis) const {
  return xg::split(*this, split_size, axis);
}

template <class Scalar>
std::vector<BasicTensor<Scalar>> BasicTensor<Scalar>::chunk(std::size_t chunks, long axis) const {
  return xg::chunk(*this, chunks, axis);
}

template <class Scalar>
template <class To>
BasicTensor<To> BasicTensor<Scalar>::to() const {
  const node_type& n = checked_node("to");
  if constexpr (std::is_same_v<To, Scalar>) {
    return *this;
  } else {
    auto converted = Array<To>::from_shape(n.value.shape());
    std::copy(n.value.begin(), n.value.end(), converted.begin());
    if (!n.requires_grad || !is_grad_enabled()) return BasicTensor<To>(std::move(converted));
    auto node = Node<To>::make(std::move(converted), true);
    node->op = "to";
    autograd::record_shape(node->recorded_shapes, node->value.shape());
    node->backward = [source = node_](Node<To>& self) {
      auto gradient = Array<Scalar>::from_shape(self.grad.shape());
      std::copy(self.grad.begin(), self.grad.end(), gradient.begin());
      BasicTensor<Scalar>(source).backward(gradient, /*retain_graph=*/true);
    };
    return BasicTensor<To>(std::move(node));
  }
}

namespace {

// The region of t's value that `items` pick, once writing into it is allowed.
template <class Scalar>
autograd::Region writable_region(const BasicTensor<Scalar>& t, const std::vector<TensorIndex>& items) {
  if (t.requires_grad() && is_grad_enabled())
    throw GraphError(std::string("index_put_: cannot write into a '") + t.op() +
                     "' tensor that requires grad while grad mode is on; write under xg::no_grad "
                     "(data preparation, parameter updates)");
  return autograd::index_region("index_put_", to_shape(t.shape()), items);
}

}  // namespace

template <class Scalar>
BasicTensor<Scalar>& BasicTensor<Scalar>::index_put_(const std::vector<TensorIndex>& items, Scalar v) {
  const autograd::Region r = writable_region(*this, items);
  Scalar* dst = value().data();
  autograd::for_each_in_region(r, [&](std::size_t, std::ptrdiff_t i) { dst[i] = v; });
  return *this;
}

template <class Scalar>
BasicTensor<Scalar>& BasicTensor<Scalar>::index_put_(const std::vector<TensorIndex>& items, const BasicTensor& v) {
  const autograd::Region r = writable_region(*this, items);
  const auto& source = v.value();
  const std::size_t rank = r.extents.size(), source_rank = source.dimension();
  bool fits = source_rank <= rank;
  for (std::size_t d = 0; fits && d < source_rank; ++d) {
    const std::size_t have = source.shape()[source_rank - 1 - d];
    fits = have == 1 || have == r.extents[rank - 1 - d];
  }
  if (!fits)
    throw_shape_error("index_put_", "cannot write a tensor of shape " + shape_to_string(source.shape()) +
                                        " into a region of shape " + shape_to_string(r.extents) +
                                        " (it must broadcast to the region's shape)");
  // Evaluated first, so a source that shares this tensor's storage (the tensor itself, or a view of
  // it) is read whole before any write.
  const array_type values = xt::broadcast(source, r.extents);
  const Scalar* src = values.data();
  Scalar* dst = value().data();
  autograd::for_each_in_region(r, [&](std::size_t o, std::ptrdiff_t i) { dst[i] = src[o]; });
  return *this;
}

#define XGRAD_INSTANTIATE(S)                                                               \
  template BasicTensor<S> BasicTensor<S>::T() const;                                       \
  template BasicTensor<S> BasicTensor<S>::reshape(const Shape&) const;                     \
  template BasicTensor<S> BasicTensor<S>::operator[](long) const;                          \
  template BasicTensor<S> BasicTensor<S>::index(const std::vector<TensorIndex>&) const;    \
  template BasicTensor<S> BasicTensor<S>::select(long, long) const;                        \
  template BasicTensor<S> BasicTensor<S>::narrow(long, long, std::size_t) const;           \
  template BasicTensor<S> BasicTensor<S>::permute(const std::vector<long>&) const;         \
  template BasicTensor<S> BasicTensor<S>::transpose(long, long) const;                     \
  template BasicTensor<S> BasicTensor<S>::squeeze() const;                                 \
  template BasicTensor<S> BasicTensor<S>::squeeze(long) const;                             \
  template BasicTensor<S> BasicTensor<S>::unsqueeze(long) const;                           \
  template BasicTensor<S> BasicTensor<S>::flatten(long, long) const;                       \
  template BasicTensor<S> BasicTensor<S>::expand(const std::vector<long>&) const;          \
  template std::vector<BasicTensor<S>> BasicTensor<S>::split(std::size_t, long) const;     \
  template std::vector<BasicTensor<S>> BasicTensor<S>::chunk(std::size_t, long) const;     \
  template BasicTensor<S>& BasicTensor<S>::index_put_(const std::vector<TensorIndex>&, S); \
  template BasicTensor<S>& BasicTensor<S>::index_put_(const std::vector<TensorIndex>&, const BasicTensor<S>&);

XGRAD_INSTANTIATE(float)
XGRAD_INSTANTIATE(double)
#undef XGRAD_INSTANTIATE
template BasicTensor<float> BasicTensor<float>::to<float>() const;
template BasicTensor<double> BasicTensor<float>::to<double>() const;
template BasicTensor<float> BasicTensor<double>::to<float>() const;
template BasicTensor<double> BasicTensor<double>::to<double>() const;

}  // namespace xg
