// Convolution through BLAS, forward and backward. Each image's receptive
// fields are unfolded into a column matrix (im2col), one row per (input
// channel, kernel row, kernel column) of a group and one column per output
// pixel, so a group's output is the single product
//   Y_g (Og, OH OW) = W_g (Og, Cg kh kw) col (Cg kh kw, OH OW);
// the backward gives dW_g += dY_g col^T, dcol = W_g^T dY_g folded back onto
// the input (col2im), and db the sum of dY over images and pixels. conv1d is
// the same computation on images of height 1. When the weight's gradient
// will be asked for, the forward unfolds the whole batch and its backward
// closure keeps the columns for dW (no second im2col); the buffers come from
// a free list that hands them to the next step (ops/column_buffer.hpp).

#include <algorithm>
#include <string>
#include <utility>

#include <xgrad/autograd/function.hpp>
#include <xgrad/autograd/grad_mode.hpp>
#include <xgrad/autograd/ops.hpp>
#include <xgrad/autograd/ops/detail/column_buffer.hpp>
#include <xgrad/autograd/ops/detail/im2col.hpp>
#include <xgrad/core/detail/blas.hpp>

namespace xg {

namespace {

using detail::col2im_add;
using detail::ColumnBuffer;
using detail::ConvGeometry;
using detail::im2col;

// The input's gradient to be written by a gemm whose first product uses
// `beta` (0 when the gradient is new: no zeroing pass; 1 to accumulate).
template <class S>
S* gemm_grad(Node<S>& input, S& beta) {
  beta = input.has_grad ? S(1) : S(0);
  if (input.has_grad) {
    input.check_grad_shape();
  } else {
    input.grad = Array<S>::from_shape(input.value.shape());
    input.has_grad = true;
  }
  return input.grad.data();
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
  const char* layout = rank == 2 ? "(N, C, H, W) or an unbatched (C, H, W)" : "(N, C, L) or an unbatched (C, L)";
  if (x.dim() != rank + 2 && x.dim() != rank + 1)
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
  // An unbatched input is a batch of one: the same numbers, one axis fewer.
  Shape xs(x.shape().begin(), x.shape().end());
  if (x.dim() == rank + 1) xs.insert(xs.begin(), 1);
  const auto& ws = weight.shape();
  const auto g = static_cast<std::size_t>(groups);
  if (xs[1] % g != 0)
    throw_shape_error(op, "groups=" + std::to_string(g) + " does not divide the " + std::to_string(xs[1]) +
                              " channels of the input of shape " + shape_to_string(x.shape()));
  if (ws[0] % g != 0)
    throw_shape_error(op, "groups=" + std::to_string(g) + " does not divide the " + std::to_string(ws[0]) +
                              " output channels of the weight of shape " + shape_to_string(ws));
  if (xs[1] != ws[1] * g)
    throw_shape_error(op, "input of shape " + shape_to_string(x.shape()) + " has " + std::to_string(xs[1]) +
                              " channels but the weight expects " + std::to_string(ws[1] * g) +
                              (g > 1 ? " (" + std::to_string(ws[1]) + " per group, groups=" + std::to_string(g) + ")"
                                     : std::string()));
  if (bias.defined() && (bias.dim() != 1 || bias.shape()[0] != ws[0]))
    throw_shape_error(op, "bias of shape " + shape_to_string(bias.shape()) + " does not match the " +
                              std::to_string(ws[0]) + " output channels of the weight of shape " + shape_to_string(ws));
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
                              spatial_string(rank, padded_h, padded_w) + " (input of shape " +
                              shape_to_string(x.shape()) + ", weight of shape " + shape_to_string(ws) + ")");
  geo.out_h = static_cast<std::size_t>((padded_h - span_h) / stride.h + 1);
  geo.out_w = static_cast<std::size_t>((padded_w - span_w) / stride.w + 1);
  return geo;
}

// The backward's three products: dW from the kept columns, dX through a
// per-image column scratch folded back (col2im), db the sum of dY.
template <class S>
void convolution_backward(Node<S>& self, const ConvGeometry& geo, const ColumnBuffer<S>* columns) {
  auto &x = *self.inputs[0], &weight = *self.inputs[1];
  const std::size_t patch = geo.patch(), pixels = geo.pixels(), group_out = geo.group_out();
  const std::size_t group_image = geo.group_in() * geo.height * geo.width, image_columns = geo.groups * patch * pixels;
  const S* dy = self.grad.data();
  if (weight.requires_grad) {
    S beta;
    S* dw = gemm_grad(weight, beta);
    for (std::size_t n = 0; n < geo.batch; ++n)
      for (std::size_t g = 0; g < geo.groups; ++g)
        blas::gemm<S>(false, true, group_out, patch, pixels, S(1), dy + (n * geo.out_channels + g * group_out) * pixels,
                      pixels, columns->data() + n * image_columns + g * patch * pixels, pixels, n == 0 ? beta : S(1),
                      dw + g * group_out * patch, patch);
  }
  if (x.requires_grad) {
    S beta;
    S* dx = gemm_grad(x, beta);
    const auto scratch = ColumnBuffer<S>::acquire(patch * pixels);
    for (std::size_t n = 0; n < geo.batch; ++n) {
      // Zeroed image by image when new, while the image is about to be in cache anyway.
      if (beta == S(0)) std::fill_n(dx + n * geo.image(), geo.image(), S(0));
      for (std::size_t g = 0; g < geo.groups; ++g) {
        blas::gemm<S>(true, false, patch, pixels, group_out, S(1), weight.value.data() + g * group_out * patch, patch,
                      dy + (n * geo.out_channels + g * group_out) * pixels, pixels, S(0), scratch->data(), pixels);
        col2im_add(scratch->data(), geo, dx + n * geo.image() + g * group_image);
      }
    }
  }
  if (self.inputs.size() > 2 && self.inputs[2]->requires_grad) {
    S beta;
    S* db = gemm_grad(*self.inputs[2], beta);
    if (beta == S(0)) std::fill_n(db, geo.out_channels, S(0));
    for (std::size_t n = 0; n < geo.batch; ++n)
      for (std::size_t o = 0; o < geo.out_channels; ++o) {
        const S* plane = dy + (n * geo.out_channels + o) * pixels;
        S total = 0;
        for (std::size_t p = 0; p < pixels; ++p) total += plane[p];
        db[o] += total;
      }
  }
}

template <class S>
BasicTensor<S> convolution(const char* op, const ConvGeometry& geo, Shape out_shape, const BasicTensor<S>& x,
                           const BasicTensor<S>& weight, const BasicTensor<S>& bias) {
  checked_numel(op, out_shape);
  const std::size_t patch = geo.patch(), pixels = geo.pixels(), group_out = geo.group_out();
  const std::size_t image_columns = geo.groups * patch * pixels;
  // Only dW reads the columns again; otherwise one image's worth is enough.
  const bool keep_columns = is_grad_enabled() && weight.requires_grad();
  auto columns =
      ColumnBuffer<S>::acquire(keep_columns ? checked_numel(op, Shape{geo.batch, image_columns}) : image_columns);
  auto out = Array<S>::from_shape(out_shape);
  const S* image = x.value().data();
  const S* w = weight.value().data();
  const S* b = bias.defined() ? bias.value().data() : nullptr;
  S* y = out.data();
  for (std::size_t n = 0; n < geo.batch; ++n) {
    S* image_col = columns->data() + (keep_columns ? n * image_columns : 0);
    for (std::size_t g = 0; g < geo.groups; ++g) {
      S* col = image_col + g * patch * pixels;
      im2col(image + n * geo.image() + g * geo.group_in() * geo.height * geo.width, geo, col);
      blas::gemm<S>(false, false, group_out, pixels, patch, S(1), w + g * group_out * patch, patch, col, pixels, S(0),
                    y + (n * geo.out_channels + g * group_out) * pixels, pixels);
    }
    if (b)
      for (std::size_t o = 0; o < geo.out_channels; ++o) {
        S* plane = y + (n * geo.out_channels + o) * pixels;
        for (std::size_t p = 0; p < pixels; ++p) plane[p] += b[o];
      }
  }
  std::vector<BasicTensor<S>> inputs{x, weight};
  if (bias.defined()) inputs.push_back(bias);
  auto backward = [geo, columns = keep_columns ? std::move(columns) : nullptr](Node<S>& self) {
    convolution_backward(self, geo, columns.get());
  };
  return autograd::record<S>(op, std::move(out), std::span<const BasicTensor<S>>(inputs), std::move(backward));
}

}  // namespace

template <class S>
BasicTensor<S> conv2d(const BasicTensor<S>& x, const BasicTensor<S>& weight, const BasicTensor<S>& bias,
                      Conv2dOptions options) {
  const ConvGeometry geo =
      conv_geometry("conv2d", 2, x, weight, bias, options.stride, options.padding, options.dilation, options.groups);
  if (x.dim() == 3) return convolution("conv2d", geo, {geo.out_channels, geo.out_h, geo.out_w}, x, weight, bias);
  return convolution("conv2d", geo, {geo.batch, geo.out_channels, geo.out_h, geo.out_w}, x, weight, bias);
}

template <class S>
BasicTensor<S> conv1d(const BasicTensor<S>& x, const BasicTensor<S>& weight, const BasicTensor<S>& bias,
                      Conv1dOptions options) {
  const ConvGeometry geo = conv_geometry("conv1d", 1, x, weight, bias, {1, options.stride}, {0, options.padding},
                                         {1, options.dilation}, options.groups);
  if (x.dim() == 2) return convolution("conv1d", geo, {geo.out_channels, geo.out_w}, x, weight, bias);
  return convolution("conv1d", geo, {geo.batch, geo.out_channels, geo.out_w}, x, weight, bias);
}

template BasicTensor<float> conv2d(const BasicTensor<float>&, const BasicTensor<float>&, const BasicTensor<float>&,
                                   Conv2dOptions);
template BasicTensor<double> conv2d(const BasicTensor<double>&, const BasicTensor<double>&, const BasicTensor<double>&,
                                    Conv2dOptions);
template BasicTensor<float> conv1d(const BasicTensor<float>&, const BasicTensor<float>&, const BasicTensor<float>&,
                                   Conv1dOptions);
template BasicTensor<double> conv1d(const BasicTensor<double>&, const BasicTensor<double>&, const BasicTensor<double>&,
                                    Conv1dOptions);

}  // namespace xg
