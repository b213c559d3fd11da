// Activations: tanh, sigmoid, relu, softplus, gelu, silu, elu, leaky_relu
// (softmax and log_softmax, along an axis, are in softmax.cpp). Backward closures read the op's
// own output where the derivative is a function of it (tanh' = 1 - y^2,
// sigmoid' = y (1 - y), ...), the input otherwise; they keep nothing but the node.

#include <cmath>
#include <numbers>
#include <string>

#include <xsimd/xsimd.hpp>

#include <xgrad/autograd/function.hpp>
#include <xgrad/autograd/ops.hpp>
#include <xgrad/core/message.hpp>

namespace xg {

namespace {

// glibc's tanhf costs about 20 ns an element (it goes through expm1f), which
// made tanh a sixth of the time of a 1024-wide MLP's matrix products; xsimd's
// vectorized tanh (within 2 ulp) takes a fraction of that. The last partial
// batch goes through the same vector code on a padded copy, so an element's
// result does not depend on where it sits. At most AVX2, as the optimizers'
// loops (optim/elementwise.hpp): g++ 12 warns falsely on AVX-512 intrinsics.
#if XSIMD_WITH_AVX2
using activation_arch = xsimd::avx2;
#else
using activation_arch = xsimd::default_arch;
#endif

// 1 / (1 + e^-x), taking exp only of -|x| so that it cannot overflow.
template <class S>
S stable_sigmoid(S x) {
  const S e = std::exp(-std::abs(x));
  return x >= S(0) ? S(1) / (S(1) + e) : e / (S(1) + e);
}

// A NaN option would turn every output into NaN without a word.
void check_not_nan(const char* op, const char* option, double value) {
  if (std::isnan(value)) throw_invalid_argument(op, std::string(option) + " is NaN");
}

template <class S>
Array<S> tanh_elements(const Array<S>& x) {
  using Batch = xsimd::batch<S, activation_arch>;
  constexpr std::size_t width = Batch::size;
  auto y = Array<S>::from_shape(x.shape());
  const S* in = x.data();
  S* out = y.data();
  const std::size_t n = x.size();
  std::size_t i = 0;
  for (; i + width <= n; i += width) xsimd::tanh(Batch::load_unaligned(in + i)).store_unaligned(out + i);
  if (i < n) {
    alignas(64) S tail[width] = {};
    std::copy(in + i, in + n, tail);
    xsimd::tanh(Batch::load_aligned(tail)).store_aligned(tail);
    std::copy(tail, tail + (n - i), out + i);
  }
  return y;
}

}  // namespace

using autograd::accumulate_each;
using autograd::record;

// d(tanh x) = (1 - y^2) dx
template <class S>
BasicTensor<S> tanh(const BasicTensor<S>& x) {
  Array<S> y = tanh_elements(x.value());
  return record<S>("tanh", std::move(y), {&x}, [](Node<S>& self) {
    const S* g = self.grad.data();
    const S* y = self.value.data();
    accumulate_each(*self.inputs[0], [g, y](std::size_t i) { return g[i] * (S(1) - y[i] * y[i]); });
  });
}

// d(sigmoid x) = y (1 - y) dx. exp is only taken of -|x|, so it cannot overflow.
template <class S>
BasicTensor<S> sigmoid(const BasicTensor<S>& x) {
  auto y = Array<S>::from_shape(x.shape());
  const S* v = x.value().data();
  S* out = y.data();
  for (std::size_t i = 0, n = y.size(); i < n; ++i) out[i] = stable_sigmoid(v[i]);
  return record<S>("sigmoid", std::move(y), {&x}, [](Node<S>& self) {
    const S* g = self.grad.data();
    const S* y = self.value.data();
    accumulate_each(*self.inputs[0], [g, y](std::size_t i) { return g[i] * y[i] * (S(1) - y[i]); });
  });
}

// As PyTorch (tools/autograd/derivatives.yaml: relu's backward is
// threshold_backward(grad, result, 0)): y = x where x > 0 or x is NaN, else 0,
// so a NaN reaches the loss and detect_anomaly; the gradient is cut where
// y <= 0 (at 0 too) and passes elsewhere, NaN included.
template <class S>
BasicTensor<S> relu(const BasicTensor<S>& x) {
  auto y = Array<S>::from_shape(x.shape());
  const S* v = x.value().data();
  S* out = y.data();
  for (std::size_t i = 0, n = y.size(); i < n; ++i) out[i] = v[i] <= S(0) ? S(0) : v[i];
  return record<S>("relu", std::move(y), {&x}, [](Node<S>& self) {
    const S* g = self.grad.data();
    const S* y = self.value.data();
    accumulate_each(*self.inputs[0], [g, y](std::size_t i) { return y[i] <= S(0) ? S(0) : g[i]; });
  });
}

// As PyTorch's softplus kernels (aten/src/ATen/native/cpu/Activation.cpp):
// y = log1p(exp(beta x)) / beta, or x where beta x > threshold;
// dx = g e^(beta x) / (e^(beta x) + 1), or g past the threshold. exp is only
// taken at beta x <= threshold, so it cannot overflow.
template <class S>
BasicTensor<S> softplus(const BasicTensor<S>& x, double beta, double threshold) {
  if (!(beta > 0) || !std::isfinite(beta))
    throw_invalid_argument("softplus", "beta must be positive and finite, got " + number_text(beta));
  check_not_nan("softplus", "threshold", threshold);
  const S b = static_cast<S>(beta), t = static_cast<S>(threshold);
  Array<S> y =
      autograd::map_elements(x.value(), [b, t](S v) { return v * b > t ? v : std::log1p(std::exp(v * b)) / b; });
  return record<S>("softplus", std::move(y), {&x}, [b, t](Node<S>& self) {
    auto& in = *self.inputs[0];
    const S* g = self.grad.data();
    const S* v = in.value.data();
    accumulate_each(in, [g, v, b, t](std::size_t i) {
      if (v[i] * b > t) return g[i];
      const S z = std::exp(v[i] * b);
      return g[i] * z / (z + S(1));
    });
  });
}

// As PyTorch's GeluKernelImpl / GeluBackwardKernelImpl (Hendrycks & Gimpel,
// "Gaussian Error Linear Units", 2016):
//   exact:  y = x Phi(x) = 0.5 x (1 + erf(x / sqrt 2)),  dy/dx = Phi(x) + x phi(x)
//   tanh:   u = sqrt(2/pi) (x + 0.044715 x^3),  y = 0.5 x (1 + tanh u),
//           dy/dx = 0.5 (1 + tanh u) + 0.5 x (1 - tanh^2 u) sqrt(2/pi) (1 + 3 0.044715 x^2)
template <class S>
BasicTensor<S> gelu(const BasicTensor<S>& x, std::string_view approximate) {
  const bool tanh_form = approximate == "tanh";
  if (!tanh_form && approximate != "none")
    throw_invalid_argument("gelu",
                           "approximate must be \"none\" or \"tanh\", got \"" + std::string(approximate) + "\"");
  const S inv_sqrt2 = S(std::numbers::sqrt2 / 2), inv_sqrt_2pi = S(std::numbers::inv_sqrtpi / std::numbers::sqrt2);
  const S k = S(std::numbers::sqrt2 * std::numbers::inv_sqrtpi), kappa = S(0.044715);
  Array<S> y = tanh_form ? autograd::map_elements(
                               x.value(),
                               [k, kappa](S v) { return S(0.5) * v * (S(1) + std::tanh(k * (v + kappa * v * v * v))); })
                         : autograd::map_elements(
                               x.value(), [inv_sqrt2](S v) { return S(0.5) * v * (S(1) + std::erf(v * inv_sqrt2)); });
  return record<S>("gelu", std::move(y), {&x}, [=](Node<S>& self) {
    auto& in = *self.inputs[0];
    const S* g = self.grad.data();
    const S* v = in.value.data();
    if (tanh_form) {
      accumulate_each(in, [=](std::size_t i) {
        const S u = std::tanh(k * (v[i] + kappa * v[i] * v[i] * v[i]));
        const S slope = S(0.5) * (S(1) + u) + S(0.5) * v[i] * (S(1) - u * u) * k * (S(1) + S(3) * kappa * v[i] * v[i]);
        return g[i] * slope;
      });
    } else {
      accumulate_each(in, [=](std::size_t i) {
        const S cdf = S(0.5) * (S(1) + std::erf(v[i] * inv_sqrt2));
        const S pdf = inv_sqrt_2pi * std::exp(S(-0.5) * v[i] * v[i]);
        return g[i] * (cdf + v[i] * pdf);
      });
    }
  });
}

// y = x sigmoid(x);  dy/dx = s (1 + x (1 - s)), as PyTorch's silu_backward.
template <class S>
BasicTensor<S> silu(const BasicTensor<S>& x) {
  Array<S> y = autograd::map_elements(x.value(), [](S v) { return v * stable_sigmoid(v); });
  return record<S>("silu", std::move(y), {&x}, [](Node<S>& self) {
    auto& in = *self.inputs[0];
    const S* g = self.grad.data();
    const S* v = in.value.data();
    accumulate_each(in, [g, v](std::size_t i) {
      const S s = stable_sigmoid(v[i]);
      return g[i] * s * (S(1) + v[i] * (S(1) - s));
    });
  });
}

// As PyTorch's elu kernels (Clevert et al. 2015): y = x where x > 0, else
// alpha expm1(x); dy/dx = 1 where x > 0, else alpha e^x (at 0 too).
template <class S>
BasicTensor<S> elu(const BasicTensor<S>& x, double alpha) {
  check_not_nan("elu", "alpha", alpha);
  const S a = static_cast<S>(alpha);
  Array<S> y = autograd::map_elements(x.value(), [a](S v) { return v <= S(0) ? a * std::expm1(v) : v; });
  return record<S>("elu", std::move(y), {&x}, [a](Node<S>& self) {
    auto& in = *self.inputs[0];
    const S* g = self.grad.data();
    const S* v = in.value.data();
    accumulate_each(in, [g, v, a](std::size_t i) { return v[i] <= S(0) ? g[i] * a * std::exp(v[i]) : g[i]; });
  });
}

// As PyTorch's leaky_relu kernels: y = x where x > 0, else negative_slope x;
// the gradient is g or negative_slope g on the same sides (NaN passes).
template <class S>
BasicTensor<S> leaky_relu(const BasicTensor<S>& x, double negative_slope) {
  check_not_nan("leaky_relu", "negative_slope", negative_slope);
  const S slope = static_cast<S>(negative_slope);
  Array<S> y = autograd::map_elements(x.value(), [slope](S v) { return v > S(0) ? v : v * slope; });
  return record<S>("leaky_relu", std::move(y), {&x}, [slope](Node<S>& self) {
    auto& in = *self.inputs[0];
    const S* g = self.grad.data();
    const S* v = in.value.data();
    accumulate_each(in, [g, v, slope](std::size_t i) { return v[i] > S(0) ? g[i] : g[i] * slope; });
  });
}

#define XGRAD_INSTANTIATE(S)                                               \
  template BasicTensor<S> tanh(const BasicTensor<S>&);                     \
  template BasicTensor<S> sigmoid(const BasicTensor<S>&);                  \
  template BasicTensor<S> relu(const BasicTensor<S>&);                     \
  template BasicTensor<S> softplus(const BasicTensor<S>&, double, double); \
  template BasicTensor<S> gelu(const BasicTensor<S>&, std::string_view);   \
  template BasicTensor<S> silu(const BasicTensor<S>&);                     \
  template BasicTensor<S> elu(const BasicTensor<S>&, double);              \
  template BasicTensor<S> leaky_relu(const BasicTensor<S>&, double);
XGRAD_INSTANTIATE(float)
XGRAD_INSTANTIATE(double)

}  // namespace xg
