// Pooling over the two spatial axes of NCHW images, forward and backward:
// each output cell reduces a window of its (image, channel) plane. The window
// arithmetic (output size, ceil_mode, padding at most half the kernel, the
// average's divisor) is PyTorch's: aten/src/ATen/native/Pool.h
// (pooling_output_shape, pool2d_shape_check) and the CPU kernels
// MaxPoolKernel.cpp, AvgPoolKernel.cpp and AdaptiveAveragePooling.cpp.

#include <cmath>
#include <limits>
#include <string>
#include <vector>

#include <xgrad/autograd/function.hpp>
#include <xgrad/autograd/ops.hpp>

namespace xg {

namespace {

struct PoolGeometry {
  std::size_t planes, height, width, out_h, out_w;
  long kernel_h, kernel_w, stride_h, stride_w, pad_h, pad_w, dilation_h, dilation_w;
};

// Appended piece by piece: GCC 12 at -O3 warns falsely (-Wstringop-overflow) on "(" + to_string(h) + ...
std::string pair_string(long h, long w) {
  std::string out = "(";
  out.append(std::to_string(h)).append(", ").append(std::to_string(w)).append(")");
  return out;
}

// NCHW, or CHW for one unbatched image as torch accepts.
template <class S>
void check_images(const char* op, const BasicTensor<S>& x) {
  if (!x.defined()) throw_invalid_argument(op, "the input is an undefined (default-constructed) tensor");
  if (x.dim() != 4 && x.dim() != 3)
    throw_shape_error(
        op, "expects a 4-D input (N, C, H, W) or an unbatched (C, H, W), got shape " + shape_to_string(x.shape()));
}

// The input's shape with its two spatial axes replaced by the output's.
template <class Dims>
Shape pooled_shape(const Dims& input, std::size_t out_h, std::size_t out_w) {
  Shape out(input.begin(), input.end());
  out[out.size() - 2] = out_h;
  out[out.size() - 1] = out_w;
  return out;
}

// Every (image, channel) plane of an NCHW or CHW input.
template <class Dims>
std::size_t plane_count(const Dims& input) {
  std::size_t planes = 1;
  for (std::size_t axis = 0; axis + 2 < input.size(); ++axis) planes *= input[axis];
  return planes;
}

// torch's pooling_output_shape: with ceil_mode the last window may hang over
// the end, but must start inside the input or the left padding.
long pooled_size(long input, long kernel, long pad, long stride, long dilation, bool ceil_mode) {
  const long span = input + 2 * pad - dilation * (kernel - 1) - 1 + (ceil_mode ? stride - 1 : 0);
  long size = (span >= 0 ? span / stride : -((-span + stride - 1) / stride)) + 1;
  if (ceil_mode && (size - 1) * stride >= input + pad) --size;
  return size;
}

template <class S>
PoolGeometry pool_geometry(const char* op, const BasicTensor<S>& x, Size2 kernel, std::optional<Size2> stride_option,
                           Size2 padding, Size2 dilation, bool ceil_mode) {
  check_images(op, x);
  const Size2 stride = stride_option.value_or(kernel);
  if (kernel.h < 1 || kernel.w < 1)
    throw_invalid_argument(op, "kernel_size must be positive, got " + pair_string(kernel.h, kernel.w));
  if (stride.h < 1 || stride.w < 1)
    throw_invalid_argument(op, "stride must be positive, got " + pair_string(stride.h, stride.w));
  if (dilation.h < 1 || dilation.w < 1)
    throw_invalid_argument(op, "dilation must be positive, got " + pair_string(dilation.h, dilation.w));
  if (padding.h < 0 || padding.w < 0 || padding.h > kernel.h / 2 || padding.w > kernel.w / 2)
    throw_invalid_argument(op, "padding must be between 0 and half the kernel size, got padding " +
                                   pair_string(padding.h, padding.w) + " for kernel_size " +
                                   pair_string(kernel.h, kernel.w));
  const auto& s = x.shape();
  const std::size_t height = s[s.size() - 2], width = s[s.size() - 1];
  const long h = static_cast<long>(height), w = static_cast<long>(width);
  const long out_h = pooled_size(h, kernel.h, padding.h, stride.h, dilation.h, ceil_mode);
  const long out_w = pooled_size(w, kernel.w, padding.w, stride.w, dilation.w, ceil_mode);
  if (out_h < 1 || out_w < 1)
    throw_shape_error(op, "input of shape " + shape_to_string(s) + " is too small for kernel_size " +
                              pair_string(kernel.h, kernel.w) + " with padding " + pair_string(padding.h, padding.w) +
                              " and dilation " + pair_string(dilation.h, dilation.w) + ": output size would be " +
                              pair_string(out_h, out_w));
  return {plane_count(s), height,   width,     std::size_t(out_h), std::size_t(out_w), kernel.h,  kernel.w,
          stride.h,       stride.w, padding.h, padding.w,          dilation.h,         dilation.w};
}

}  // namespace

// y = max over the window; dx[argmax] += dy. The argmax of every output
// cell is kept (flat within its plane), the first maximum winning, a NaN
// replacing any number, as in torch's kernel.
template <class S>
BasicTensor<S> max_pool2d(const BasicTensor<S>& x, Size2 kernel_size, MaxPool2dOptions options) {
  const PoolGeometry g =
      pool_geometry("max_pool2d", x, kernel_size, options.stride, options.padding, options.dilation, options.ceil_mode);
  const std::size_t in_plane = g.height * g.width, out_plane = g.out_h * g.out_w;
  auto out = Array<S>::from_shape(pooled_shape(x.shape(), g.out_h, g.out_w));
  // Where a window holds no input cell at all (possible with dilation and padding), nothing gets the gradient.
  constexpr std::size_t none = std::numeric_limits<std::size_t>::max();
  std::vector<std::size_t> argmax(out.size(), none);
  const S* src = x.value().data();
  S* dst = out.data();
  for (std::size_t p = 0; p < g.planes; ++p)
    for (std::size_t oh = 0; oh < g.out_h; ++oh)
      for (std::size_t ow = 0; ow < g.out_w; ++ow) {
        S best = -std::numeric_limits<S>::infinity();
        std::size_t best_at = none;
        for (long ki = 0; ki < g.kernel_h; ++ki) {
          const long ih = static_cast<long>(oh) * g.stride_h - g.pad_h + ki * g.dilation_h;
          if (ih < 0 || ih >= static_cast<long>(g.height)) continue;
          for (long kj = 0; kj < g.kernel_w; ++kj) {
            const long iw = static_cast<long>(ow) * g.stride_w - g.pad_w + kj * g.dilation_w;
            if (iw < 0 || iw >= static_cast<long>(g.width)) continue;
            const std::size_t at = static_cast<std::size_t>(ih) * g.width + static_cast<std::size_t>(iw);
            const S v = src[p * in_plane + at];
            if (v > best || std::isnan(v) || best_at == none) {
              best = v;
              best_at = at;
            }
          }
        }
        const std::size_t cell = p * out_plane + oh * g.out_w + ow;
        dst[cell] = best;
        argmax[cell] = best_at;
      }
  auto backward = [argmax = std::move(argmax), in_plane, out_plane](Node<S>& self) {
    S* dx = autograd::zero_initialized_grad(*self.inputs[0]).data();
    const S* dy = self.grad.data();
    for (std::size_t cell = 0; cell < argmax.size(); ++cell)
      if (argmax[cell] != none) dx[cell / out_plane * in_plane + argmax[cell]] += dy[cell];
  };
  return autograd::record<S>("max_pool2d", std::move(out), {&x}, std::move(backward));
}

// y = sum over the window / divisor; every cell of the window gets dy / divisor.
// The divisor is the window clipped to the padded input (count_include_pad)
// or to the input itself, torch's avg_pool2d rule.
template <class S>
BasicTensor<S> avg_pool2d(const BasicTensor<S>& x, Size2 kernel_size, AvgPool2dOptions options) {
  const PoolGeometry g =
      pool_geometry("avg_pool2d", x, kernel_size, options.stride, options.padding, Size2(1), options.ceil_mode);
  struct Window {
    long h0, h1, w0, w1;  // the input rows [h0, h1) and columns [w0, w1)
    S scale;              // 1 / divisor
  };
  const auto window = [g, include_pad = options.count_include_pad](std::size_t oh, std::size_t ow) {
    long h0 = static_cast<long>(oh) * g.stride_h - g.pad_h, w0 = static_cast<long>(ow) * g.stride_w - g.pad_w;
    long h1 = std::min(h0 + g.kernel_h, static_cast<long>(g.height) + g.pad_h);
    long w1 = std::min(w0 + g.kernel_w, static_cast<long>(g.width) + g.pad_w);
    const long padded_cells = (h1 - h0) * (w1 - w0);
    h0 = std::max(h0, 0L);
    w0 = std::max(w0, 0L);
    h1 = std::min(h1, static_cast<long>(g.height));
    w1 = std::min(w1, static_cast<long>(g.width));
    const long cells = include_pad ? padded_cells : (h1 - h0) * (w1 - w0);
    return Window{h0, h1, w0, w1, cells > 0 ? S(1) / S(cells) : S(0)};
  };
  const std::size_t in_plane = g.height * g.width, out_plane = g.out_h * g.out_w;
  auto out = Array<S>::from_shape(pooled_shape(x.shape(), g.out_h, g.out_w));
  const S* src = x.value().data();
  S* dst = out.data();
  for (std::size_t p = 0; p < g.planes; ++p)
    for (std::size_t oh = 0; oh < g.out_h; ++oh)
      for (std::size_t ow = 0; ow < g.out_w; ++ow) {
        const Window win = window(oh, ow);
        S total = 0;
        for (long ih = win.h0; ih < win.h1; ++ih)
          for (long iw = win.w0; iw < win.w1; ++iw)
            total += src[p * in_plane + std::size_t(ih) * g.width + std::size_t(iw)];
        dst[p * out_plane + oh * g.out_w + ow] = total * win.scale;
      }
  auto backward = [g, window, in_plane, out_plane](Node<S>& self) {
    S* dx = autograd::zero_initialized_grad(*self.inputs[0]).data();
    const S* dy = self.grad.data();
    for (std::size_t p = 0; p < g.planes; ++p)
      for (std::size_t oh = 0; oh < g.out_h; ++oh)
        for (std::size_t ow = 0; ow < g.out_w; ++ow) {
          const Window win = window(oh, ow);
          const S share = dy[p * out_plane + oh * g.out_w + ow] * win.scale;
          for (long ih = win.h0; ih < win.h1; ++ih)
            for (long iw = win.w0; iw < win.w1; ++iw)
              dx[p * in_plane + std::size_t(ih) * g.width + std::size_t(iw)] += share;
        }
  };
  return autograd::record<S>("avg_pool2d", std::move(out), {&x}, std::move(backward));
}

// Output cell i of n averages input rows [floor(i H / n), ceil((i + 1) H / n)),
// torch's start_index / end_index; likewise for the columns.
template <class S>
BasicTensor<S> adaptive_avg_pool2d(const BasicTensor<S>& x, Size2 output_size) {
  check_images("adaptive_avg_pool2d", x);
  if (output_size.h < 1 || output_size.w < 1)
    throw_invalid_argument("adaptive_avg_pool2d",
                           "output_size must be positive, got " + pair_string(output_size.h, output_size.w));
  const auto& s = x.shape();
  const std::size_t planes = plane_count(s), height = s[s.size() - 2], width = s[s.size() - 1];
  const auto out_h = static_cast<std::size_t>(output_size.h), out_w = static_cast<std::size_t>(output_size.w);
  if (height == 0 || width == 0)
    throw_shape_error("adaptive_avg_pool2d", "input of shape " + shape_to_string(s) + " has an empty plane");
  auto out = Array<S>::from_shape(pooled_shape(s, out_h, out_w));
  const auto start = [](std::size_t i, std::size_t in, std::size_t n) { return i * in / n; };
  const auto end = [](std::size_t i, std::size_t in, std::size_t n) { return ((i + 1) * in + n - 1) / n; };
  // Visits every (output cell, input cell, 1 / window size) triple.
  const auto for_each_cell = [=](auto visit) {
    for (std::size_t p = 0; p < planes; ++p)
      for (std::size_t oh = 0; oh < out_h; ++oh)
        for (std::size_t ow = 0; ow < out_w; ++ow) {
          const std::size_t h0 = start(oh, height, out_h), h1 = end(oh, height, out_h);
          const std::size_t w0 = start(ow, width, out_w), w1 = end(ow, width, out_w);
          const S scale = S(1) / S((h1 - h0) * (w1 - w0));
          for (std::size_t ih = h0; ih < h1; ++ih)
            for (std::size_t iw = w0; iw < w1; ++iw)
              visit((p * out_h + oh) * out_w + ow, (p * height + ih) * width + iw, scale);
        }
  };
  out.fill(S(0));
  const S* src = x.value().data();
  S* dst = out.data();
  for_each_cell([&](std::size_t o, std::size_t i, S scale) { dst[o] += src[i] * scale; });
  return autograd::record<S>("adaptive_avg_pool2d", std::move(out), {&x}, [for_each_cell](Node<S>& self) {
    S* dx = autograd::zero_initialized_grad(*self.inputs[0]).data();
    const S* dy = self.grad.data();
    for_each_cell([&](std::size_t o, std::size_t i, S scale) { dx[i] += dy[o] * scale; });
  });
}

template BasicTensor<float> max_pool2d(const BasicTensor<float>&, Size2, MaxPool2dOptions);
template BasicTensor<double> max_pool2d(const BasicTensor<double>&, Size2, MaxPool2dOptions);
template BasicTensor<float> avg_pool2d(const BasicTensor<float>&, Size2, AvgPool2dOptions);
template BasicTensor<double> avg_pool2d(const BasicTensor<double>&, Size2, AvgPool2dOptions);
template BasicTensor<float> adaptive_avg_pool2d(const BasicTensor<float>&, Size2);
template BasicTensor<double> adaptive_avg_pool2d(const BasicTensor<double>&, Size2);

}  // namespace xg
