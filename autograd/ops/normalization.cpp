// Layer normalization (Ba, Kiros & Hinton 2016, "Layer Normalization") and
// batch normalization (Ioffe & Szegedy 2015, "Batch Normalization:
// Accelerating Deep Network Training by Reducing Internal Covariate Shift"),
// with the statistics, options and running-estimate update of PyTorch's
// torch.nn.functional.layer_norm and batch_norm (torch/nn/modules/batchnorm.py,
// normalization.py). Each normalizes groups of elements, x̂ = (x - mean) ·
// rstd with rstd = 1 / sqrt(biased variance + eps), then y = x̂·weight + bias;
// backward is the closed form over a group of n elements (not a chain of
// small ops): with ĝ = dy·weight,
//   dx = rstd · (ĝ - mean(ĝ) - x̂ · mean(ĝ · x̂)),  dweight = Σ dy·x̂,  dbias = Σ dy.

#include <algorithm>
#include <cmath>
#include <string>
#include <tuple>
#include <utility>
#include <vector>

#include <xgrad/autograd/function.hpp>
#include <xgrad/autograd/ops.hpp>
#include <xgrad/core/message.hpp>

namespace xg {

using autograd::record;

namespace {

constexpr std::size_t absent = static_cast<std::size_t>(-1);

// x, then weight and bias where defined; the slots of the latter two among
// the recorded inputs (absent for none).
template <class S>
struct AffineInputs {
  std::vector<BasicTensor<S>> tensors;
  std::size_t weight_slot = absent, bias_slot = absent;

  AffineInputs(const BasicTensor<S>& x, const BasicTensor<S>& weight, const BasicTensor<S>& bias) : tensors{x} {
    if (weight.defined()) {
      weight_slot = tensors.size();
      tensors.push_back(weight);
    }
    if (bias.defined()) {
      bias_slot = tensors.size();
      tensors.push_back(bias);
    }
  }
};

template <class S>
void check_affine(const char* op, const BasicTensor<S>& t, const char* name, const Shape& expected,
                  const std::string& why) {
  if (t.defined() && !shapes_equal(t.shape(), expected))
    throw_shape_error(op, std::string(name) + " of shape " + shape_to_string(t.shape()) + " should be " +
                              shape_to_string(expected) + ", " + why);
}

void check_eps(const char* op, double eps) {
  if (!(eps >= 0) || !std::isfinite(eps))
    throw std::invalid_argument(std::string(op) + ": eps must be finite and >= 0, got " + number_text(eps));
}

// The statistics of one group, whose k-th element is at x[at(k)]: the mean,
// and rstd from the biased variance. Sums in double, as the group may be long.
template <class S, class At>
std::pair<double, double> group_moments(const S* x, std::size_t n, At at) {
  double total = 0;
  for (std::size_t k = 0; k < n; ++k) total += x[at(k)];
  const double mean = total / static_cast<double>(n);
  double squares = 0;
  for (std::size_t k = 0; k < n; ++k) {
    const double d = x[at(k)] - mean;
    squares += d * d;
  }
  return {mean, squares / static_cast<double>(n)};
}

// dx += rstd · (ĝ - mean(ĝ) - x̂ · mean(ĝ · x̂)) over one group, ĝ(k) its
// k-th scaled output gradient.
template <class S, class At, class ScaledGrad>
void add_normalized_input_grad(S* dx, const S* xhat, std::size_t n, S rstd, At at, ScaledGrad scaled_grad) {
  double sum_g = 0, sum_gx = 0;
  for (std::size_t k = 0; k < n; ++k) {
    const double g = scaled_grad(k);
    sum_g += g;
    sum_gx += g * xhat[at(k)];
  }
  const double mean_g = sum_g / static_cast<double>(n), mean_gx = sum_gx / static_cast<double>(n);
  for (std::size_t k = 0; k < n; ++k) {
    const std::size_t i = at(k);
    dx[i] += static_cast<S>(rstd * (scaled_grad(k) - mean_g - xhat[i] * mean_gx));
  }
}

}  // namespace

// Groups: the numel / n rows of the last n = prod(normalized_shape) elements.
template <class S>
BasicTensor<S> layer_norm(const BasicTensor<S>& x, const Shape& normalized_shape, const BasicTensor<S>& weight,
                          const BasicTensor<S>& bias, double eps) {
  const char* op = "layer_norm";
  if (!x.defined()) throw std::invalid_argument("layer_norm: the input is an undefined (default-constructed) tensor");
  check_eps(op, eps);
  const std::size_t k = normalized_shape.size(), rank = x.dim();
  std::size_t n = 1;
  for (std::size_t d : normalized_shape) n *= d;
  if (k == 0 || n == 0)
    throw_shape_error(op, "normalized_shape " + shape_to_string(normalized_shape) + " holds no element to normalize");
  if (rank < k || !std::equal(normalized_shape.begin(), normalized_shape.end(), x.shape().end() - k))
    throw_shape_error(op, "input of shape " + shape_to_string(x.shape()) + " does not end in normalized_shape " +
                              shape_to_string(normalized_shape));
  check_affine(op, weight, "weight", normalized_shape, "the normalized_shape");
  check_affine(op, bias, "bias", normalized_shape, "the normalized_shape");

  const std::size_t rows = x.numel() / n;
  auto xhat = Array<S>::from_shape(x.shape());
  auto y = Array<S>::from_shape(x.shape());
  std::vector<S> rstd(rows);
  S* xh = xhat.data();
  S* out = y.data();
  const S* v = x.value().data();
  const S* w = weight.defined() ? weight.value().data() : nullptr;
  const S* b = bias.defined() ? bias.value().data() : nullptr;
  for (std::size_t r = 0; r < rows; ++r) {
    const std::size_t first = r * n;
    const auto at = [first](std::size_t j) { return first + j; };
    const auto [mean, variance] = group_moments(v, n, at);
    const double inv = 1.0 / std::sqrt(variance + eps);
    rstd[r] = static_cast<S>(inv);
    for (std::size_t j = 0; j < n; ++j) {
      const S h = static_cast<S>((v[first + j] - mean) * inv);
      xh[first + j] = h;
      out[first + j] = (w ? h * w[j] : h) + (b ? b[j] : S(0));
    }
  }
  const AffineInputs<S> in(x, weight, bias);
  return record<S>(
      op, std::move(y), std::span<const BasicTensor<S>>(in.tensors),
      [xhat = std::move(xhat), rstd = std::move(rstd), n, ws = in.weight_slot, bs = in.bias_slot](Node<S>& self) {
        const S* g = self.grad.data();
        const S* w = ws == absent ? nullptr : self.inputs[ws]->value.data();
        if (self.inputs[0]->requires_grad) {
          S* dx = autograd::zero_initialized_grad(*self.inputs[0]).data();
          for (std::size_t r = 0; r < rstd.size(); ++r) {
            const std::size_t first = r * n;
            add_normalized_input_grad(
                dx, xhat.data(), n, rstd[r], [first](std::size_t j) { return first + j; },
                [&](std::size_t j) { return w ? g[first + j] * w[j] : g[first + j]; });
          }
        }
        for (std::size_t slot : {ws, bs}) {
          if (slot == absent || !self.inputs[slot]->requires_grad) continue;
          S* d = autograd::zero_initialized_grad(*self.inputs[slot]).data();
          for (std::size_t r = 0; r < rstd.size(); ++r)
            for (std::size_t j = 0; j < n; ++j)
              d[j] += slot == ws ? g[r * n + j] * xhat.data()[r * n + j] : g[r * n + j];
        }
      });
}

// Groups: the channels of x (N, C, ...), channel c's elements being
// x[i, c, l] for every sample i and trailing position l.
template <class S>
BasicTensor<S> batch_norm(const BasicTensor<S>& x, const BasicTensor<S>& running_mean,
                          const BasicTensor<S>& running_var, const BasicTensor<S>& weight, const BasicTensor<S>& bias,
                          bool training, double momentum, double eps) {
  const char* op = "batch_norm";
  if (!x.defined()) throw std::invalid_argument("batch_norm: the input is an undefined (default-constructed) tensor");
  check_eps(op, eps);
  if (!std::isfinite(momentum))
    throw std::invalid_argument("batch_norm: momentum must be finite, got " + number_text(momentum));
  if (x.dim() < 2) throw_shape_error(op, "expects an input of shape (N, C, ...), got " + shape_to_string(x.shape()));
  const std::size_t batch = x.shape()[0], channels = x.shape()[1];
  const std::size_t length = channels == 0 || batch == 0 ? 0 : x.numel() / (batch * channels);
  const std::size_t count = batch * length;
  const Shape channel_shape{channels};
  const std::string per_channel = "one per channel of the input " + shape_to_string(x.shape());
  check_affine(op, weight, "weight", channel_shape, per_channel);
  check_affine(op, bias, "bias", channel_shape, per_channel);
  check_affine(op, running_mean, "running_mean", channel_shape, per_channel);
  check_affine(op, running_var, "running_var", channel_shape, per_channel);
  if (running_mean.defined() != running_var.defined())
    throw std::invalid_argument("batch_norm: running_mean and running_var are given together or not at all");
  if (training && count <= 1)
    throw std::invalid_argument(
        "batch_norm: expected more than 1 value per channel when training, got input of shape " +
        shape_to_string(x.shape()));
  if (!training && !running_mean.defined())
    throw std::invalid_argument("batch_norm: running_mean and running_var are needed when not training");

  auto xhat = Array<S>::from_shape(x.shape());
  auto y = Array<S>::from_shape(x.shape());
  std::vector<S> rstd(channels);
  S* xh = xhat.data();
  S* out = y.data();
  const S* v = x.value().data();
  const S* w = weight.defined() ? weight.value().data() : nullptr;
  const S* b = bias.defined() ? bias.value().data() : nullptr;
  for (std::size_t c = 0; c < channels; ++c) {
    const auto at = [c, channels, length](std::size_t k) {
      return ((k / length) * channels + c) * length + k % length;
    };
    double mean, variance;
    if (training) {
      std::tie(mean, variance) = group_moments(v, count, at);
      if (running_mean.defined()) {
        // torch: the running variance takes the unbiased batch variance.
        S& rm = running_mean.value().data()[c];
        S& rv = running_var.value().data()[c];
        rm = static_cast<S>((1 - momentum) * rm + momentum * mean);
        rv = static_cast<S>((1 - momentum) * rv + momentum * variance * count / (count - 1));
      }
    } else {
      mean = running_mean.value().data()[c];
      variance = running_var.value().data()[c];
    }
    const double inv = 1.0 / std::sqrt(variance + eps);
    rstd[c] = static_cast<S>(inv);
    for (std::size_t k = 0; k < count; ++k) {
      const std::size_t i = at(k);
      const S h = static_cast<S>((v[i] - mean) * inv);
      xh[i] = h;
      out[i] = (w ? h * w[c] : h) + (b ? b[c] : S(0));
    }
  }
  const AffineInputs<S> in(x, weight, bias);
  return record<S>(op, std::move(y), std::span<const BasicTensor<S>>(in.tensors),
                   [xhat = std::move(xhat), rstd = std::move(rstd), channels, length, count, training,
                    ws = in.weight_slot, bs = in.bias_slot](Node<S>& self) {
                     const S* g = self.grad.data();
                     const S* w = ws == absent ? nullptr : self.inputs[ws]->value.data();
                     const bool want_x = self.inputs[0]->requires_grad;
                     S* dx = want_x ? autograd::zero_initialized_grad(*self.inputs[0]).data() : nullptr;
                     S* dw = ws != absent && self.inputs[ws]->requires_grad
                                 ? autograd::zero_initialized_grad(*self.inputs[ws]).data()
                                 : nullptr;
                     S* db = bs != absent && self.inputs[bs]->requires_grad
                                 ? autograd::zero_initialized_grad(*self.inputs[bs]).data()
                                 : nullptr;
                     for (std::size_t c = 0; c < channels; ++c) {
                       const auto at = [c, channels, length](std::size_t k) {
                         return ((k / length) * channels + c) * length + k % length;
                       };
                       const S scale = w ? w[c] : S(1);
                       if (dx && training) {
                         add_normalized_input_grad(dx, xhat.data(), count, rstd[c], at,
                                                   [&](std::size_t k) { return g[at(k)] * scale; });
                       } else if (dx) {
                         // The running statistics are constants here.
                         for (std::size_t k = 0; k < count; ++k) dx[at(k)] += g[at(k)] * scale * rstd[c];
                       }
                       double sum_gx = 0, sum_g = 0;
                       for (std::size_t k = 0; k < count; ++k) {
                         sum_gx += g[at(k)] * xhat.data()[at(k)];
                         sum_g += g[at(k)];
                       }
                       if (dw) dw[c] += static_cast<S>(sum_gx);
                       if (db) db[c] += static_cast<S>(sum_g);
                     }
                   });
}

#define XGRAD_INSTANTIATE(S)                                                                              \
  template BasicTensor<S> layer_norm(const BasicTensor<S>&, const Shape&, const BasicTensor<S>&,          \
                                     const BasicTensor<S>&, double);                                      \
  template BasicTensor<S> batch_norm(const BasicTensor<S>&, const BasicTensor<S>&, const BasicTensor<S>&, \
                                     const BasicTensor<S>&, const BasicTensor<S>&, bool, double, double);
XGRAD_INSTANTIATE(float)
XGRAD_INSTANTIATE(double)

}  // namespace xg
