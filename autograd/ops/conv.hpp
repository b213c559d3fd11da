#pragma once
// Convolution and pooling (ops/conv.cpp, ops/pool.cpp).

#include <optional>

#include <xgrad/core/tensor.hpp>

namespace xg {

// Images are NCHW, or CHW for one unbatched image (the result unbatched too,
// as in torch). A size or step per spatial axis, (height, width), or one
// number for both, as torch's int-or-pair arguments.
// Stored as int: with long members GCC 12.2 at -O2 and -march=native
// (AVX-512) miscompiles a defaulted options aggregate (its SLP vectorizer
// stored Conv2dOptions{}'s padding as 1).
struct Size2 {
  int h, w;
  Size2(long both) : h(static_cast<int>(both)), w(static_cast<int>(both)) {}
  Size2(long height, long width) : h(static_cast<int>(height)), w(static_cast<int>(width)) {}
};
struct Conv2dOptions {
  Size2 stride = 1;
  Size2 padding = 0;  // zeros on each side
  Size2 dilation = 1;
  long groups = 1;
};
// x (N, C, H, W), weight (out, C / groups, kh, kw), bias (out) or undefined:
// (N, out, OH, OW) with OH = (H + 2 padding - dilation (kh - 1) - 1) / stride + 1,
// as torch.nn.functional.conv2d; an unbatched x (C, H, W) gives (out, OH, OW).
// im2col and one gemm per image and group.
template <class S>
BasicTensor<S> conv2d(const BasicTensor<S>& x, const BasicTensor<S>& weight, const BasicTensor<S>& bias = {},
                      Conv2dOptions options = {});
struct Conv1dOptions {
  long stride = 1;
  long padding = 0;
  long dilation = 1;
  long groups = 1;
};
// x (N, C, L), weight (out, C / groups, k), bias (out) or undefined: (N, out, OL);
// an unbatched x (C, L) gives (out, OL).
template <class S>
BasicTensor<S> conv1d(const BasicTensor<S>& x, const BasicTensor<S>& weight, const BasicTensor<S>& bias = {},
                      Conv1dOptions options = {});
struct MaxPool2dOptions {
  std::optional<Size2> stride{};  // the kernel size when unset ({}: no -Wmissing-field-initializers)
  Size2 padding = 0;              // at most half the kernel; padded cells never win
  Size2 dilation = 1;
  bool ceil_mode = false;  // round the output size up (windows starting inside the input only)
};
// The largest value of each window of x (N, C, H, W); the gradient goes to
// the first maximum of the window (a NaN wins), as in torch.
template <class S>
BasicTensor<S> max_pool2d(const BasicTensor<S>& x, Size2 kernel_size, MaxPool2dOptions options = {});
struct AvgPool2dOptions {
  std::optional<Size2> stride{};  // the kernel size when unset
  Size2 padding = 0;              // at most half the kernel
  bool ceil_mode = false;
  bool count_include_pad = true;  // divide by the window's size including padded cells
};
template <class S>
BasicTensor<S> avg_pool2d(const BasicTensor<S>& x, Size2 kernel_size, AvgPool2dOptions options = {});
// The mean over output cell (i, j)'s window rows [floor(i H / OH), ceil((i + 1) H / OH)), and
// likewise for the columns, as torch.nn.functional.adaptive_avg_pool2d.
template <class S>
BasicTensor<S> adaptive_avg_pool2d(const BasicTensor<S>& x, Size2 output_size);

}  // namespace xg
