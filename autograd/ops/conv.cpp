// Convolution through BLAS, forward and backward. Each image's receptive
// fields are unfolded into a column matrix (im2col), one row per (input
// channel, kernel row, kernel column) of a group and one column per output
// pixel, so a group's output is the single product
//   Y_g (Og, OH OW) = W_g (Og, Cg kh kw) col (Cg kh kw, OH OW);
// the backward gives dW_g += dY_g col^T, dcol = W_g^T dY_g folded back onto
// the input (col2im), and db the sum of dY over images and pixels. conv1d is
// the same computation on images of height 1. The column matrix lives in a
// per-thread scratch buffer that grows to the largest layer and is reused by
// every later step.

#include <algorithm>
#include <string>
#include <utility>

#include <xgrad/autograd/function.hpp>
#include <xgrad/autograd/ops.hpp>
#include <xgrad/core/blas.hpp>

namespace xg {

namespace {

struct ConvGeometry {
  std::size_t batch, channels, height, width;
  std::size_t out_channels, kernel_h, kernel_w;
  std::size_t out_h, out_w;
  long stride_h, stride_w, pad_h, pad_w, dilation_h, dilation_w;
  std::size_t groups;

  std::size_t group_in() const { return channels / groups; }
  std::size_t group_out() const { return out_channels / groups; }
  std::size_t patch() const { return group_in() * kernel_h * kernel_w; }
  std::size_t pixels() const { return out_h * out_w; }
  std::size_t image() const { return channels * height * width; }
};

// The outputs o in [0, count) whose input position o * stride + offset lies in [0, extent).
std::pair<std::size_t, std::size_t> valid_outputs(long offset, long stride, std::size_t extent, std::size_t count) {
  const long last = static_cast<long>(extent) - 1 - offset;
  const long begin = offset >= 0 ? 0 : (-offset + stride - 1) / stride;
  const long end = last < 0 ? 0 : last / stride + 1;
  const auto b = static_cast<std::size_t>(std::min<long>(begin, static_cast<long>(count)));
  const auto e = static_cast<std::size_t>(std::clamp<long>(end, static_cast<long>(b), static_cast<long>(count)));
  return {b, e};
}

// Visits the column matrix of one group of one image run by run: `inside(cells,
// count, first, stride)` for `count` cells covering the input elements first,
// first + stride, ...; `outside(begin, end)` for the cells in the padding.
template <class Cell, class Inside, class Outside>
void for_each_patch_cell(const ConvGeometry& g, Cell* col, Inside inside, Outside outside) {
  const std::size_t pixels = g.pixels();
  for (std::size_t c = 0; c < g.group_in(); ++c)
    for (std::size_t ki = 0; ki < g.kernel_h; ++ki)
      for (std::size_t kj = 0; kj < g.kernel_w; ++kj) {
        Cell* row = col + ((c * g.kernel_h + ki) * g.kernel_w + kj) * pixels;
        const long row_offset = static_cast<long>(ki) * g.dilation_h - g.pad_h;
        const long col_offset = static_cast<long>(kj) * g.dilation_w - g.pad_w;
        const auto [begin, end] = valid_outputs(col_offset, g.stride_w, g.width, g.out_w);
        for (std::size_t oh = 0; oh < g.out_h; ++oh) {
          Cell* out = row + oh * g.out_w;
          const long ih = static_cast<long>(oh) * g.stride_h + row_offset;
          if (ih < 0 || ih >= static_cast<long>(g.height)) {
            outside(out, out + g.out_w);
            continue;
          }
          const std::size_t input_row = (c * g.height + static_cast<std::size_t>(ih)) * g.width;
          outside(out, out + begin);
          if (end > begin)
            inside(out + begin, end - begin,
                   input_row + static_cast<std::size_t>(static_cast<long>(begin) * g.stride_w + col_offset),
                   static_cast<std::size_t>(g.stride_w));
          outside(out + end, out + g.out_w);
        }
      }
}

template <class S>
void im2col(const S* image, const ConvGeometry& g, S* col) {
  for_each_patch_cell(
      g, col,
      [image](S* cells, std::size_t count, std::size_t first, std::size_t stride) {
        if (stride == 1) {
          std::copy_n(image + first, count, cells);
          return;
        }
        for (std::size_t i = 0; i < count; ++i) cells[i] = image[first + i * stride];
      },
      [](S* begin, S* end) { std::fill(begin, end, S(0)); });
}

template <class S>
void col2im_add(const S* col, const ConvGeometry& g, S* image_grad) {
  for_each_patch_cell(
      g, col,
      [image_grad](const S* cells, std::size_t count, std::size_t first, std::size_t stride) {
        S* dst = image_grad + first;
        if (stride == 1) {
          for (std::size_t i = 0; i < count; ++i) dst[i] += cells[i];
          return;
        }
        for (std::size_t i = 0; i < count; ++i) dst[i * stride] += cells[i];
      },
      [](const S*, const S*) {});
}

template <class S>
S* column_scratch(std::size_t size) {
  thread_local std::vector<S> buffer;
  if (buffer.size() < size) buffer.resize(size);
  return buffer.data();
}

// Appended piece by piece: GCC 12 at -O3 warns falsely (-Wstringop-overflow) on "(" + to_string(h) + ...
std::string spatial_string(std::size_t rank, long h, long w) {
  if (rank == 1) return std::to_string(w);
  std::string out = "(";
  out.append(std::to_string(h)).append(", ").append(std::to_string(w)).append(")");
  return out;
}

// Checks the operands and options of conv1d (rank 1) or conv2d (rank 2) and
// gives the geometry, a 1-D convolution being a 2-D one of height 1.
template <class S>
ConvGeometry conv_geometry(const char* op, std::size_t rank, const BasicTensor<S>& x, const BasicTensor<S>& weight,
                           const BasicTensor<S>& bias, Size2 stride, Size2 padding, Size2 dilation, long groups) {
  if (!x.defined()) throw_invalid_argument(op, "the input is an undefined (default-constructed) tensor");
  if (!weight.defined()) throw_invalid_argument(op, "the weight is an undefined (default-constructed) tensor");
  const char* layout = rank == 2 ? "(N, C, H, W)" : "(N, C, L)";
  if (x.dim() != rank + 2)
    throw_shape_error(op, "expects a " + std::to_string(rank + 2) + "-D input " + layout + ", got shape " +
                              shape_to_string(x.shape()));
  if (weight.dim() != rank + 2)
    throw_shape_error(op, "expects a " + std::to_string(rank + 2) + "-D weight " +
                              (rank == 2 ? "(out, in / groups, kh, kw)" : "(out, in / groups, k)") + ", got shape " +
                              shape_to_string(weight.shape()));
  if (groups < 1) throw_invalid_argument(op, "groups must be positive, got " + std::to_string(groups));
  if (stride.h < 1 || stride.w < 1)
    throw_invalid_argument(op, "stride must be positive, got " + spatial_string(rank, stride.h, stride.w));
  if (dilation.h < 1 || dilation.w < 1)
    throw_invalid_argument(op, "dilation must be positive, got " + spatial_string(rank, dilation.h, dilation.w));
  if (padding.h < 0 || padding.w < 0)
    throw_invalid_argument(op, "padding must be non-negative, got " + spatial_string(rank, padding.h, padding.w));
  const auto& xs = x.shape();
  const auto& ws = weight.shape();
  const auto g = static_cast<std::size_t>(groups);
  if (xs[1] % g != 0)
    throw_shape_error(op, "groups=" + std::to_string(g) + " does not divide the " + std::to_string(xs[1]) +
                              " channels of the input of shape " + shape_to_string(xs));
  if (ws[0] % g != 0)
    throw_shape_error(op, "groups=" + std::to_string(g) + " does not divide the " + std::to_string(ws[0]) +
                              " output channels of the weight of shape " + shape_to_string(ws));
  if (xs[1] != ws[1] * g)
    throw_shape_error(op, "input of shape " + shape_to_string(xs) + " has " + std::to_string(xs[1]) +
                              " channels but the weight expects " + std::to_string(ws[1] * g) +
                              (g > 1 ? " (" + std::to_string(ws[1]) + " per group, groups=" + std::to_string(g) + ")"
                                     : std::string()));
  if (bias.defined() && (bias.dim() != 1 || bias.shape()[0] != ws[0]))
    throw_shape_error(op, "bias of shape " + shape_to_string(bias.shape()) + " does not match the " +
                              std::to_string(ws[0]) + " output channels of the weight of shape " +
                              shape_to_string(ws));
  ConvGeometry geo{};
  geo.batch = xs[0];
  geo.channels = xs[1];
  geo.height = rank == 2 ? xs[2] : 1;
  geo.width = xs[rank + 1];
  geo.out_channels = ws[0];
  geo.kernel_h = rank == 2 ? ws[2] : 1;
  geo.kernel_w = ws[rank + 1];
  geo.stride_h = stride.h;
  geo.stride_w = stride.w;
  geo.pad_h = padding.h;
  geo.pad_w = padding.w;
  geo.dilation_h = dilation.h;
  geo.dilation_w = dilation.w;
  geo.groups = g;
  const long span_h = dilation.h * (static_cast<long>(geo.kernel_h) - 1) + 1;
  const long span_w = dilation.w * (static_cast<long>(geo.kernel_w) - 1) + 1;
  const long padded_h = static_cast<long>(geo.height) + 2 * padding.h;
  const long padded_w = static_cast<long>(geo.width) + 2 * padding.w;
  if (geo.kernel_h == 0 || geo.kernel_w == 0 || span_h > padded_h || span_w > padded_w)
    throw_shape_error(op, std::string(dilation.h > 1 || dilation.w > 1 ? "dilated kernel" : "kernel") + " of size " +
                              spatial_string(rank, span_h, span_w) + " does not fit in the padded input of size " +
                              spatial_string(rank, padded_h, padded_w) + " (input of shape " + shape_to_string(xs) +
                              ", weight of shape " + shape_to_string(ws) + ")");
  geo.out_h = static_cast<std::size_t>((padded_h - span_h) / stride.h + 1);
  geo.out_w = static_cast<std::size_t>((padded_w - span_w) / stride.w + 1);
  return geo;
}

template <class S>
BasicTensor<S> convolution(const char* op, const ConvGeometry& geo, Shape out_shape, const BasicTensor<S>& x,
                           const BasicTensor<S>& weight, const BasicTensor<S>& bias) {
  checked_numel(op, out_shape);
  const std::size_t patch = geo.patch(), pixels = geo.pixels(), group_out = geo.group_out();
  auto out = Array<S>::from_shape(out_shape);
  S* col = column_scratch<S>(patch * pixels);
  const S* image = x.value().data();
  const S* w = weight.value().data();
  S* y = out.data();
  for (std::size_t n = 0; n < geo.batch; ++n)
    for (std::size_t g = 0; g < geo.groups; ++g) {
      im2col(image + n * geo.image() + g * geo.group_in() * geo.height * geo.width, geo, col);
      blas::gemm<S>(false, false, group_out, pixels, patch, S(1), w + g * group_out * patch, patch, col, pixels, S(0),
                    y + (n * geo.out_channels + g * group_out) * pixels, pixels);
    }
  if (bias.defined()) {
    const S* b = bias.value().data();
    for (std::size_t n = 0; n < geo.batch; ++n)
      for (std::size_t o = 0; o < geo.out_channels; ++o) {
        S* plane = y + (n * geo.out_channels + o) * pixels;
        for (std::size_t p = 0; p < pixels; ++p) plane[p] += b[o];
      }
  }
  std::vector<BasicTensor<S>> inputs{x, weight};
  if (bias.defined()) inputs.push_back(bias);
  auto backward = [geo](Node<S>& self) {
    auto &x = *self.inputs[0], &weight = *self.inputs[1];
    const std::size_t patch = geo.patch(), pixels = geo.pixels(), group_out = geo.group_out();
    const std::size_t group_image = geo.group_in() * geo.height * geo.width;
    const S* dy = self.grad.data();
    S* col = column_scratch<S>(patch * pixels);
    if (weight.requires_grad) {
      S* dw = autograd::zero_initialized_grad(weight).data();
      for (std::size_t n = 0; n < geo.batch; ++n)
        for (std::size_t g = 0; g < geo.groups; ++g) {
          im2col(x.value.data() + n * geo.image() + g * group_image, geo, col);
          blas::gemm<S>(false, true, group_out, patch, pixels, S(1),
                        dy + (n * geo.out_channels + g * group_out) * pixels, pixels, col, pixels, S(1),
                        dw + g * group_out * patch, patch);
        }
    }
    if (x.requires_grad) {
      S* dx = autograd::zero_initialized_grad(x).data();
      for (std::size_t n = 0; n < geo.batch; ++n)
        for (std::size_t g = 0; g < geo.groups; ++g) {
          blas::gemm<S>(true, false, patch, pixels, group_out, S(1), weight.value.data() + g * group_out * patch,
                        patch, dy + (n * geo.out_channels + g * group_out) * pixels, pixels, S(0), col, pixels);
          col2im_add(col, geo, dx + n * geo.image() + g * group_image);
        }
    }
    if (self.inputs.size() > 2 && self.inputs[2]->requires_grad) {
      S* db = autograd::zero_initialized_grad(*self.inputs[2]).data();
      for (std::size_t n = 0; n < geo.batch; ++n)
        for (std::size_t o = 0; o < geo.out_channels; ++o) {
          const S* plane = dy + (n * geo.out_channels + o) * pixels;
          S total = 0;
          for (std::size_t p = 0; p < pixels; ++p) total += plane[p];
          db[o] += total;
        }
    }
  };
  return autograd::record<S>(op, std::move(out), std::span<const BasicTensor<S>>(inputs), std::move(backward));
}

}  // namespace

template <class S>
BasicTensor<S> conv2d(const BasicTensor<S>& x, const BasicTensor<S>& weight, const BasicTensor<S>& bias,
                      Conv2dOptions options) {
  const ConvGeometry geo = conv_geometry("conv2d", 2, x, weight, bias, options.stride, options.padding,
                                         options.dilation, options.groups);
  return convolution("conv2d", geo, {geo.batch, geo.out_channels, geo.out_h, geo.out_w}, x, weight, bias);
}

template <class S>
BasicTensor<S> conv1d(const BasicTensor<S>& x, const BasicTensor<S>& weight, const BasicTensor<S>& bias,
                      Conv1dOptions options) {
  const ConvGeometry geo = conv_geometry("conv1d", 1, x, weight, bias, {1, options.stride}, {0, options.padding},
                                         {1, options.dilation}, options.groups);
  return convolution("conv1d", geo, {geo.batch, geo.out_channels, geo.out_w}, x, weight, bias);
}

template BasicTensor<float> conv2d(const BasicTensor<float>&, const BasicTensor<float>&, const BasicTensor<float>&,
                                   Conv2dOptions);
template BasicTensor<double> conv2d(const BasicTensor<double>&, const BasicTensor<double>&,
                                    const BasicTensor<double>&, Conv2dOptions);
template BasicTensor<float> conv1d(const BasicTensor<float>&, const BasicTensor<float>&, const BasicTensor<float>&,
                                   Conv1dOptions);
template BasicTensor<double> conv1d(const BasicTensor<double>&, const BasicTensor<double>&,
                                    const BasicTensor<double>&, Conv1dOptions);

}  // namespace xg
