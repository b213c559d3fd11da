// softmax and log_softmax along an axis, each lane shifted by its max so
// that nothing overflows; the backward closures read the op's own output.

#include <algorithm>
#include <cmath>
#include <limits>

#include <xgrad/autograd/function.hpp>
#include <xgrad/autograd/ops.hpp>

namespace xg {

using autograd::record;

namespace {

// The 1-D lanes of a row-major array along `axis`: calls
// f(first, stride, length) for each, `first` being a flat offset.
template <class Sh, class F>
void for_each_lane(const Sh& shape, std::size_t axis, F f) {
  std::size_t outer = 1, inner = 1;
  for (std::size_t i = 0; i < axis; ++i) outer *= shape[i];
  for (std::size_t i = axis + 1; i < shape.size(); ++i) inner *= shape[i];
  const std::size_t n = shape[axis];
  // Lanes of no elements: nothing to visit, and `x + first` on the null data
  // of an empty array would be undefined.
  if (n == 0) return;
  for (std::size_t o = 0; o < outer; ++o)
    for (std::size_t j = 0; j < inner; ++j) f(o * n * inner + j, inner, n);
}

template <class S>
S lane_max(const S* x, std::size_t stride, std::size_t n) {
  S m = -std::numeric_limits<S>::infinity();
  for (std::size_t k = 0; k < n; ++k) m = std::max(m, x[k * stride]);
  return m;
}

// sum(exp(x - max)): in [1, n] for any finite lane, so nothing overflows.
template <class S>
S lane_sum_exp_shifted(const S* x, std::size_t stride, std::size_t n, S max) {
  S total = 0;
  for (std::size_t k = 0; k < n; ++k) total += std::exp(x[k * stride] - max);
  return total;
}

}  // namespace

// y = exp(x - max) / sum(exp(x - max));  dx = y (g - sum(g y))
template <class S>
BasicTensor<S> softmax(const BasicTensor<S>& x, long axis) {
  const std::size_t ax = autograd::normalize_axis("softmax", axis, x.dim());
  auto y = Array<S>::from_shape(x.shape());
  const S* v = x.value().data();
  S* out = y.data();
  for_each_lane(x.shape(), ax, [&](std::size_t first, std::size_t stride, std::size_t n) {
    const S m = lane_max(v + first, stride, n);
    S total = 0;
    for (std::size_t k = 0; k < n; ++k) {
      const std::size_t i = first + k * stride;
      out[i] = std::exp(v[i] - m);
      total += out[i];
    }
    const S inverse = S(1) / total;
    for (std::size_t k = 0; k < n; ++k) out[first + k * stride] *= inverse;
  });
  return record<S>("softmax", std::move(y), {&x}, [ax](Node<S>& self) {
    auto& grad = autograd::zero_initialized_grad(*self.inputs[0]);
    const S* g = self.grad.data();
    const S* y = self.value.data();
    S* gx = grad.data();
    for_each_lane(self.value.shape(), ax, [&](std::size_t first, std::size_t stride, std::size_t n) {
      S dot = 0;
      for (std::size_t k = 0; k < n; ++k) dot += g[first + k * stride] * y[first + k * stride];
      for (std::size_t k = 0; k < n; ++k) {
        const std::size_t i = first + k * stride;
        gx[i] += y[i] * (g[i] - dot);
      }
    });
  });
}

// y = x - logsumexp(x);  dx = g - exp(y) sum(g)
template <class S>
BasicTensor<S> log_softmax(const BasicTensor<S>& x, long axis) {
  const std::size_t ax = autograd::normalize_axis("log_softmax", axis, x.dim());
  auto y = Array<S>::from_shape(x.shape());
  const S* v = x.value().data();
  S* out = y.data();
  // (x - max) - log(sum): subtracting the large max first keeps the small
  // remainder exact, where x - (max + log(sum)) would round at the max's scale.
  for_each_lane(x.shape(), ax, [&](std::size_t first, std::size_t stride, std::size_t n) {
    const S m = lane_max(v + first, stride, n);
    const S log_total = std::log(lane_sum_exp_shifted(v + first, stride, n, m));
    for (std::size_t k = 0; k < n; ++k) out[first + k * stride] = (v[first + k * stride] - m) - log_total;
  });
  return record<S>("log_softmax", std::move(y), {&x}, [ax](Node<S>& self) {
    auto& grad = autograd::zero_initialized_grad(*self.inputs[0]);
    const S* g = self.grad.data();
    const S* y = self.value.data();
    S* gx = grad.data();
    for_each_lane(self.value.shape(), ax, [&](std::size_t first, std::size_t stride, std::size_t n) {
      S total = 0;
      for (std::size_t k = 0; k < n; ++k) total += g[first + k * stride];
      for (std::size_t k = 0; k < n; ++k) {
        const std::size_t i = first + k * stride;
        gx[i] += g[i] - std::exp(y[i]) * total;
      }
    });
  });
}

#define XGRAD_INSTANTIATE(S)                                    \
  template BasicTensor<S> softmax(const BasicTensor<S>&, long); \
  template BasicTensor<S> log_softmax(const BasicTensor<S>&, long);
XGRAD_INSTANTIATE(float)
XGRAD_INSTANTIATE(double)

}  // namespace xg
