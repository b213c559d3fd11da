// + - * / and negation. Gradients of broadcast operands are summed back to
// their shapes by accumulate_broadcast.

#include <algorithm>

#include <xgrad/autograd/function.hpp>
#include <xgrad/autograd/ops.hpp>

namespace xg {

using autograd::accumulate_broadcast;
using autograd::record;

namespace {

// a op b, as plain loops when b is a's trailing block (a bias added to every
// row) or has a's shape: xtensor's broadcasting assignment steps an index
// per element, which for a batch of a few logits costs more than the sums.
// Anything else goes through xtensor.
template <class S, class Op, class Broadcast>
Array<S> combine(const Array<S>& a, const Array<S>& b, Op op, Broadcast broadcast) {
  const auto& as = a.shape();
  const auto& bs = b.shape();
  const std::size_t block = b.size();
  if (block == 0 || bs.size() > as.size() || !std::equal(bs.begin(), bs.end(), as.end() - bs.size()))
    return broadcast(a, b);
  auto out = Array<S>::from_shape(as);
  const S* pa = a.data();
  const S* pb = b.data();
  S* po = out.data();
  for (std::size_t i = 0, n = a.size(); i < n; i += block)
    for (std::size_t j = 0; j < block; ++j) po[i + j] = op(pa[i + j], pb[j]);
  return out;
}

}  // namespace

// d(a+b) = da + db
template <class S>
BasicTensor<S> add(const BasicTensor<S>& a, const BasicTensor<S>& b) {
  broadcast_shapes("add", a.shape(), b.shape());
  Array<S> sum = combine<S>(
      a.value(), b.value(), [](S x, S y) { return x + y; },
      [](const Array<S>& x, const Array<S>& y) -> Array<S> { return x + y; });
  return record<S>("add", std::move(sum), {&a, &b}, [](Node<S>& self) {
    for (auto& in : self.inputs)
      if (in->requires_grad) accumulate_broadcast(*in, self.grad);
  });
}

// d(a-b) = da - db
template <class S>
BasicTensor<S> sub(const BasicTensor<S>& a, const BasicTensor<S>& b) {
  broadcast_shapes("sub", a.shape(), b.shape());
  return record<S>("sub", a.value() - b.value(), {&a, &b}, [](Node<S>& self) {
    auto &a = *self.inputs[0], &b = *self.inputs[1];
    if (a.requires_grad) accumulate_broadcast(a, self.grad);
    if (b.requires_grad) accumulate_broadcast(b, -self.grad);
  });
}

// d(a*b) = b da + a db
template <class S>
BasicTensor<S> mul(const BasicTensor<S>& a, const BasicTensor<S>& b) {
  broadcast_shapes("mul", a.shape(), b.shape());
  return record<S>("mul", a.value() * b.value(), {&a, &b}, [](Node<S>& self) {
    auto &a = *self.inputs[0], &b = *self.inputs[1];
    if (a.requires_grad) accumulate_broadcast(a, self.grad * b.value);
    if (b.requires_grad) accumulate_broadcast(b, self.grad * a.value);
  });
}

// d(a/b) = da / b - a db / b^2
template <class S>
BasicTensor<S> div(const BasicTensor<S>& a, const BasicTensor<S>& b) {
  broadcast_shapes("div", a.shape(), b.shape());
  return record<S>("div", a.value() / b.value(), {&a, &b}, [](Node<S>& self) {
    auto &a = *self.inputs[0], &b = *self.inputs[1];
    if (a.requires_grad) accumulate_broadcast(a, self.grad / b.value);
    if (b.requires_grad) accumulate_broadcast(b, -self.grad * a.value / (b.value * b.value));
  });
}

template <class S>
BasicTensor<S> neg(const BasicTensor<S>& a) {
  return record<S>("neg", -a.value(), {&a}, [](Node<S>& self) { self.inputs[0]->accumulate_grad(-self.grad); });
}

template <class S>
BasicTensor<S> add(const BasicTensor<S>& a, Scalar_t<S> b) {
  return record<S>("add_scalar", a.value() + b, {&a},
                   [](Node<S>& self) { self.inputs[0]->accumulate_grad(self.grad); });
}

template <class S>
BasicTensor<S> mul(const BasicTensor<S>& a, Scalar_t<S> b) {
  return record<S>("mul_scalar", a.value() * b, {&a},
                   [b](Node<S>& self) { self.inputs[0]->accumulate_grad(self.grad * b); });
}

// d(b - a) = -da
template <class S>
BasicTensor<S> rsub(const BasicTensor<S>& a, Scalar_t<S> b) {
  return record<S>("rsub_scalar", b - a.value(), {&a},
                   [](Node<S>& self) { self.inputs[0]->accumulate_grad(-self.grad); });
}

// d(b / a) = -b da / a^2 = -(b/a) da / a
template <class S>
BasicTensor<S> rdiv(const BasicTensor<S>& a, Scalar_t<S> b) {
  return record<S>("rdiv_scalar", b / a.value(), {&a}, [](Node<S>& self) {
    auto& a = *self.inputs[0];
    a.accumulate_grad(-self.grad * self.value / a.value);
  });
}

#define XGRAD_INSTANTIATE(S)                                                 \
  template BasicTensor<S> add(const BasicTensor<S>&, const BasicTensor<S>&); \
  template BasicTensor<S> sub(const BasicTensor<S>&, const BasicTensor<S>&); \
  template BasicTensor<S> mul(const BasicTensor<S>&, const BasicTensor<S>&); \
  template BasicTensor<S> div(const BasicTensor<S>&, const BasicTensor<S>&); \
  template BasicTensor<S> neg(const BasicTensor<S>&);                        \
  template BasicTensor<S> add(const BasicTensor<S>&, Scalar_t<S>);           \
  template BasicTensor<S> mul(const BasicTensor<S>&, Scalar_t<S>);           \
  template BasicTensor<S> rsub(const BasicTensor<S>&, Scalar_t<S>);          \
  template BasicTensor<S> rdiv(const BasicTensor<S>&, Scalar_t<S>);
XGRAD_INSTANTIATE(float)
XGRAD_INSTANTIATE(double)

}  // namespace xg
