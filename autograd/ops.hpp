#pragma once
// Every differentiable operation. Elementwise binary ops follow NumPy
// broadcasting; axes may be negative (counted from the end). Each op's
// forward and backward live side by side in autograd/ops/<family>.cpp.

#include <concepts>
#include <cstddef>
#include <cstdint>
#include <initializer_list>
#include <limits>
#include <optional>
#include <span>
#include <stdexcept>
#include <string>
#include <string_view>
#include <type_traits>
#include <vector>

#include <xgrad/core/csr_matrix.hpp>
#include <xgrad/core/tensor.hpp>

namespace xg {

template <class S>
using Scalar_t = std::type_identity_t<S>;  // keeps a scalar operand from driving deduction

// What the ops without a gradient return: indices (argmax, argmin) as
// torch's int64, and the elementwise truth of comparisons as bool.
using IndexArray = xt::xarray<std::int64_t>;
using BoolArray = xt::xarray<bool>;

// --- arithmetic (ops/arithmetic.cpp) ---
template <class S>
BasicTensor<S> add(const BasicTensor<S>& a, const BasicTensor<S>& b);
template <class S>
BasicTensor<S> sub(const BasicTensor<S>& a, const BasicTensor<S>& b);
template <class S>
BasicTensor<S> mul(const BasicTensor<S>& a, const BasicTensor<S>& b);
template <class S>
BasicTensor<S> div(const BasicTensor<S>& a, const BasicTensor<S>& b);
template <class S>
BasicTensor<S> neg(const BasicTensor<S>& a);
template <class S>
BasicTensor<S> add(const BasicTensor<S>& a, Scalar_t<S> b);
template <class S>
BasicTensor<S> mul(const BasicTensor<S>& a, Scalar_t<S> b);
// b - a and b / a, for the scalar-on-the-left operators.
template <class S>
BasicTensor<S> rsub(const BasicTensor<S>& a, Scalar_t<S> b);
template <class S>
BasicTensor<S> rdiv(const BasicTensor<S>& a, Scalar_t<S> b);

template <class S>
BasicTensor<S> operator+(const BasicTensor<S>& a, const BasicTensor<S>& b) {
  return add(a, b);
}
template <class S>
BasicTensor<S> operator-(const BasicTensor<S>& a, const BasicTensor<S>& b) {
  return sub(a, b);
}
template <class S>
BasicTensor<S> operator*(const BasicTensor<S>& a, const BasicTensor<S>& b) {
  return mul(a, b);
}
template <class S>
BasicTensor<S> operator/(const BasicTensor<S>& a, const BasicTensor<S>& b) {
  return div(a, b);
}
template <class S>
BasicTensor<S> operator-(const BasicTensor<S>& a) {
  return neg(a);
}
template <class S>
BasicTensor<S> operator+(const BasicTensor<S>& a, Scalar_t<S> b) {
  return add(a, b);
}
template <class S>
BasicTensor<S> operator+(Scalar_t<S> a, const BasicTensor<S>& b) {
  return add(b, a);
}
template <class S>
BasicTensor<S> operator-(const BasicTensor<S>& a, Scalar_t<S> b) {
  return add(a, -b);
}
template <class S>
BasicTensor<S> operator-(Scalar_t<S> a, const BasicTensor<S>& b) {
  return rsub(b, a);
}
template <class S>
BasicTensor<S> operator*(const BasicTensor<S>& a, Scalar_t<S> b) {
  return mul(a, b);
}
template <class S>
BasicTensor<S> operator*(Scalar_t<S> a, const BasicTensor<S>& b) {
  return mul(b, a);
}
template <class S>
BasicTensor<S> operator/(const BasicTensor<S>& a, Scalar_t<S> b) {
  return mul(a, S(1) / b);
}
template <class S>
BasicTensor<S> operator/(Scalar_t<S> a, const BasicTensor<S>& b) {
  return rdiv(b, a);
}

// --- elementwise math (ops/elementwise.cpp) ---
template <class S>
BasicTensor<S> pow(const BasicTensor<S>& x, double exponent);
template <class S>
BasicTensor<S> exp(const BasicTensor<S>& x);
template <class S>
BasicTensor<S> log(const BasicTensor<S>& x);
// log(1 + x) and exp(x) - 1, exact for small x where log and exp round to 0.
template <class S>
BasicTensor<S> log1p(const BasicTensor<S>& x);
template <class S>
BasicTensor<S> expm1(const BasicTensor<S>& x);
template <class S>
BasicTensor<S> sqrt(const BasicTensor<S>& x);
template <class S>
BasicTensor<S> sin(const BasicTensor<S>& x);
template <class S>
BasicTensor<S> cos(const BasicTensor<S>& x);
template <class S>
BasicTensor<S> abs(const BasicTensor<S>& x);
// Limits x to [min, max]; the gradient passes where x lies inside.
template <class S>
BasicTensor<S> clamp(const BasicTensor<S>& x, double min = -std::numeric_limits<double>::infinity(),
                     double max = std::numeric_limits<double>::infinity());
// Elementwise max/min of two tensors (broadcasting); ties split the gradient evenly.
template <class S>
BasicTensor<S> maximum(const BasicTensor<S>& a, const BasicTensor<S>& b);
template <class S>
BasicTensor<S> minimum(const BasicTensor<S>& a, const BasicTensor<S>& b);
// a where the condition holds, b elsewhere; the three broadcast together.
// The condition is a boolean array (`x > 0`, `xg::lt(a, b)`) or bytes (nonzero is true).
template <class S>
BasicTensor<S> where(const BoolArray& condition, const BasicTensor<S>& a, const BasicTensor<S>& b);
template <class S>
BasicTensor<S> where(const xt::xarray<std::uint8_t>& condition, const BasicTensor<S>& a, const BasicTensor<S>& b);

// --- comparisons (ops/elementwise.cpp): boolean arrays, no gradient ---
// Broadcasting as the arithmetic ops. The operators < <= > >= are
// these; == and != stay unoverloaded (use eq, ne), as a tensor handle's
// equality would otherwise stop meaning what C++ code expects of ==.
template <class S>
BoolArray eq(const BasicTensor<S>& a, const BasicTensor<S>& b);
template <class S>
BoolArray ne(const BasicTensor<S>& a, const BasicTensor<S>& b);
template <class S>
BoolArray lt(const BasicTensor<S>& a, const BasicTensor<S>& b);
template <class S>
BoolArray le(const BasicTensor<S>& a, const BasicTensor<S>& b);
template <class S>
BoolArray gt(const BasicTensor<S>& a, const BasicTensor<S>& b);
template <class S>
BoolArray ge(const BasicTensor<S>& a, const BasicTensor<S>& b);
template <class S>
BoolArray eq(const BasicTensor<S>& a, Scalar_t<S> b);
template <class S>
BoolArray ne(const BasicTensor<S>& a, Scalar_t<S> b);
template <class S>
BoolArray lt(const BasicTensor<S>& a, Scalar_t<S> b);
template <class S>
BoolArray le(const BasicTensor<S>& a, Scalar_t<S> b);
template <class S>
BoolArray gt(const BasicTensor<S>& a, Scalar_t<S> b);
template <class S>
BoolArray ge(const BasicTensor<S>& a, Scalar_t<S> b);

template <class S>
BoolArray operator<(const BasicTensor<S>& a, const BasicTensor<S>& b) {
  return lt(a, b);
}
template <class S>
BoolArray operator<=(const BasicTensor<S>& a, const BasicTensor<S>& b) {
  return le(a, b);
}
template <class S>
BoolArray operator>(const BasicTensor<S>& a, const BasicTensor<S>& b) {
  return gt(a, b);
}
template <class S>
BoolArray operator>=(const BasicTensor<S>& a, const BasicTensor<S>& b) {
  return ge(a, b);
}
template <class S>
BoolArray operator<(const BasicTensor<S>& a, Scalar_t<S> b) {
  return lt(a, b);
}
template <class S>
BoolArray operator<=(const BasicTensor<S>& a, Scalar_t<S> b) {
  return le(a, b);
}
template <class S>
BoolArray operator>(const BasicTensor<S>& a, Scalar_t<S> b) {
  return gt(a, b);
}
template <class S>
BoolArray operator>=(const BasicTensor<S>& a, Scalar_t<S> b) {
  return ge(a, b);
}
template <class S>
BoolArray operator<(Scalar_t<S> a, const BasicTensor<S>& b) {
  return gt(b, a);
}
template <class S>
BoolArray operator<=(Scalar_t<S> a, const BasicTensor<S>& b) {
  return ge(b, a);
}
template <class S>
BoolArray operator>(Scalar_t<S> a, const BasicTensor<S>& b) {
  return lt(b, a);
}
template <class S>
BoolArray operator>=(Scalar_t<S> a, const BasicTensor<S>& b) {
  return le(b, a);
}

// --- activations (ops/activation.cpp) ---
template <class S>
BasicTensor<S> tanh(const BasicTensor<S>& x);
template <class S>
BasicTensor<S> sigmoid(const BasicTensor<S>& x);
template <class S>
BasicTensor<S> relu(const BasicTensor<S>& x);
// As torch.nn.functional: log(1 + exp(beta x)) / beta, and x itself where
// beta x > threshold (where the two agree to rounding).
template <class S>
BasicTensor<S> softplus(const BasicTensor<S>& x, double beta = 1.0, double threshold = 20.0);
// x Phi(x) with the exact erf; approximate = "tanh" for
// 0.5 x (1 + tanh(sqrt(2/pi) (x + 0.044715 x^3))), as torch's `approximate`.
template <class S>
BasicTensor<S> gelu(const BasicTensor<S>& x, std::string_view approximate = "none");
// x sigmoid(x) (also called swish).
template <class S>
BasicTensor<S> silu(const BasicTensor<S>& x);
// x where x > 0, alpha (exp(x) - 1) elsewhere.
template <class S>
BasicTensor<S> elu(const BasicTensor<S>& x, double alpha = 1.0);
// x where x > 0, negative_slope x elsewhere.
template <class S>
BasicTensor<S> leaky_relu(const BasicTensor<S>& x, double negative_slope = 0.01);
// Numerically stable: subtracts the max along `axis` first.
template <class S>
BasicTensor<S> softmax(const BasicTensor<S>& x, long axis = -1);
template <class S>
BasicTensor<S> log_softmax(const BasicTensor<S>& x, long axis = -1);

// --- reductions (ops/reduction.cpp) ---
template <class S>
BasicTensor<S> sum(const BasicTensor<S>& x);
template <class S>
BasicTensor<S> sum(const BasicTensor<S>& x, const std::vector<long>& axes, bool keepdims = false);
template <class S>
BasicTensor<S> mean(const BasicTensor<S>& x);
template <class S>
BasicTensor<S> mean(const BasicTensor<S>& x, const std::vector<long>& axes, bool keepdims = false);
// Ties split the gradient evenly among the maxima.
template <class S>
BasicTensor<S> max(const BasicTensor<S>& x);
template <class S>
BasicTensor<S> max(const BasicTensor<S>& x, const std::vector<long>& axes, bool keepdims = false);
template <class S>
BasicTensor<S> min(const BasicTensor<S>& x);
template <class S>
BasicTensor<S> min(const BasicTensor<S>& x, const std::vector<long>& axes, bool keepdims = false);
// log(sum(exp(x))) over the axes, shifted by the max so that nothing overflows.
template <class S>
BasicTensor<S> logsumexp(const BasicTensor<S>& x, const std::vector<long>& axes, bool keepdims = false);
// sum((x - mean)^2) / (n - correction) and its square root; correction = 1
// (Bessel's, torch's default) unless given. Over all elements with
// correction 1, or over `axes`; n - correction must be positive.
template <class S>
BasicTensor<S> var(const BasicTensor<S>& x);
template <class S>
BasicTensor<S> var(const BasicTensor<S>& x, const std::vector<long>& axes, bool keepdims = false,
                   double correction = 1);
template <class S>
BasicTensor<S> std(const BasicTensor<S>& x);
template <class S>
BasicTensor<S> std(const BasicTensor<S>& x, const std::vector<long>& axes, bool keepdims = false,
                   double correction = 1);
// The index of the first maximum (minimum), NaN counting as one, as torch:
// over the flattened tensor (a 0-D array), or along `axis`.
template <class S>
IndexArray argmax(const BasicTensor<S>& x);
template <class S>
IndexArray argmax(const BasicTensor<S>& x, long axis, bool keepdims = false);
template <class S>
IndexArray argmin(const BasicTensor<S>& x);
template <class S>
IndexArray argmin(const BasicTensor<S>& x, long axis, bool keepdims = false);

// --- products and shapes (ops/matmul.cpp, ops/shape.cpp, ops/indexing.cpp) ---
// 2-D x 2-D, and the 1-D cases as NumPy defines them ((k)x(k,n), (m,k)x(k), (k)x(k)).
// A 3-D operand is a batch, as torch.matmul: (b,m,k)x(b,k,n), (b,m,k)x(k,n),
// (m,k)x(b,k,n), a batch of 1 broadcast against the other's, and a 1-D side.
template <class S>
BasicTensor<S> matmul(const BasicTensor<S>& a, const BasicTensor<S>& b);
// (b,m,k)x(b,k,n) only, as torch.bmm.
template <class S>
BasicTensor<S> bmm(const BasicTensor<S>& a, const BasicTensor<S>& b);
// x W for a sparse x of shape (n, V) and W of shape (V, d): (n, d). W's
// gradient is row-sparse, over the columns of x that hold a nonzero
// (ops/sparse_matmul.cpp).
template <class S>
BasicTensor<S> sparse_matmul(const CsrMatrix<S>& x, const BasicTensor<S>& w);
// Reverses the axes (a matrix's transpose).
template <class S>
BasicTensor<S> transpose(const BasicTensor<S>& x);
template <class S>
BasicTensor<S> reshape(const BasicTensor<S>& x, const Shape& shape);
// Joins tensors along `axis`; all other dimensions must agree.
template <class S>
BasicTensor<S> concat(const std::vector<BasicTensor<S>>& xs, long axis = 0);
// Slices of a tensor by index along `axis` (rows for axis 0: x[indices]), as
// torch.index_select(x, axis, indices).
template <class S>
BasicTensor<S> index_select(const BasicTensor<S>& x, std::span<const std::size_t> indices, long axis = 0);
// For a 2-D x of shape (n, c): the n values x[i, indices[i]] (what cross-entropy needs).
template <class S>
BasicTensor<S> gather(const BasicTensor<S>& x, std::span<const std::size_t> indices);

// --- indexing, slicing and shape ops (ops/slicing.cpp, ops/shape.cpp, ops/indexing.cpp) ---
// Each returns a copy of the elements it picks (xgrad's arrays own their
// storage: there are no views); the backward adds into the picked region of
// the input's gradient. Indices may be negative (from the end) as in Python.
// x[..., index, ...] on `axis`, which disappears; t[i] is select(t, 0, i).
template <class S>
BasicTensor<S> select(const BasicTensor<S>& x, long axis, long index);
// x[start:stop:step] on `axis`, with Python's negative bounds and clamping;
// the step must be positive (as in PyTorch).
template <class S>
BasicTensor<S> slice(const BasicTensor<S>& x, long axis, std::optional<long> start = std::nullopt,
                     std::optional<long> stop = std::nullopt, long step = 1);
// `length` elements from `start` on `axis`; the range must fit (as torch.narrow).
template <class S>
BasicTensor<S> narrow(const BasicTensor<S>& x, long axis, long start, std::size_t length);
// Several axes at once, as LibTorch's t.index({Slice(0, 3), 1}) (core/tensor_index.hpp).
template <class S>
BasicTensor<S> index(const BasicTensor<S>& x, const std::vector<TensorIndex>& items);
// index_select(E, {w}) with a braced list of indices of any integer type.
template <class S, std::integral I>
BasicTensor<S> index_select(const BasicTensor<S>& x, std::initializer_list<I> indices, long axis = 0) {
  std::vector<std::size_t> positions;
  positions.reserve(indices.size());
  for (I i : indices) {
    if constexpr (std::is_signed_v<I>)
      if (i < 0)
        throw std::invalid_argument("index_select: index " + std::to_string(i) + " (at position " +
                                    std::to_string(positions.size()) + ") is negative");
    positions.push_back(static_cast<std::size_t>(i));
  }
  return index_select(x, std::span<const std::size_t>(positions), axis);
}
// Consecutive pieces along `axis`: of `split_size` each (the last may be
// shorter), or of the listed sizes, which must sum to the axis's size.
template <class S>
std::vector<BasicTensor<S>> split(const BasicTensor<S>& x, std::size_t split_size, long axis = 0);
template <class S>
std::vector<BasicTensor<S>> split(const BasicTensor<S>& x, const std::vector<std::size_t>& sizes, long axis = 0);
// At most `chunks` pieces of ceil(size / chunks) along `axis` (as torch.chunk).
template <class S>
std::vector<BasicTensor<S>> chunk(const BasicTensor<S>& x, std::size_t chunks, long axis = 0);
// Output axis d is input axis axes[d].
template <class S>
BasicTensor<S> permute(const BasicTensor<S>& x, const std::vector<long>& axes);
// Swaps two axes.
template <class S>
BasicTensor<S> transpose(const BasicTensor<S>& x, long a, long b);
// Drops every axis of size 1, or `axis` only if its size is 1.
template <class S>
BasicTensor<S> squeeze(const BasicTensor<S>& x);
template <class S>
BasicTensor<S> squeeze(const BasicTensor<S>& x, long axis);
// Inserts an axis of size 1 at `axis` (-1 appends).
template <class S>
BasicTensor<S> unsqueeze(const BasicTensor<S>& x, long axis);
// Merges axes start to end (inclusive) into one.
template <class S>
BasicTensor<S> flatten(const BasicTensor<S>& x, long start = 0, long end = -1);
// Joins tensors of one shape along a new axis.
template <class S>
BasicTensor<S> stack(const std::vector<BasicTensor<S>>& xs, long axis = 0);
// Repeats size-1 axes (and adds leading ones) to reach `shape`; -1 keeps a
// dimension. The gradient sums over the repeats.
template <class S>
BasicTensor<S> expand(const BasicTensor<S>& x, const std::vector<long>& shape);
template <class S>
BasicTensor<S> broadcast_to(const BasicTensor<S>& x, const std::vector<long>& shape);

// --- convolution and pooling (ops/conv.cpp, ops/pool.cpp) ---
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

// --- embedding and normalization (ops/embedding.cpp, ops/normalization.cpp) ---
// weight[indices]: (indices..., embedding_dim), as torch.nn.functional.embedding
// with sparse=True. The weight's gradient is row-sparse, over the distinct
// indices; padding_idx (negative counts from the end) gets none.
template <class S>
BasicTensor<S> embedding(std::span<const std::size_t> indices, const BasicTensor<S>& weight,
                         std::optional<long> padding_idx = std::nullopt);
template <class S>
BasicTensor<S> embedding(const Array<std::size_t>& indices, const BasicTensor<S>& weight,
                         std::optional<long> padding_idx = std::nullopt);
// Normalizes x over its last normalized_shape.size() dimensions, which must
// equal normalized_shape: (x - mean) / sqrt(biased variance + eps), then
// times weight plus bias (each of normalized_shape, or undefined for none).
template <class S>
BasicTensor<S> layer_norm(const BasicTensor<S>& x, const Shape& normalized_shape, const BasicTensor<S>& weight = {},
                          const BasicTensor<S>& bias = {}, double eps = 1e-5);
// x of shape (N, C, ...) normalized per channel C. Training: over the batch
// and the trailing dimensions, with the biased variance; running_mean and
// running_var (C each, when defined) become (1 - momentum)·running +
// momentum·batch, the variance unbiased as in torch. Otherwise the running
// statistics normalize. weight and bias: (C), or undefined for none.
template <class S>
BasicTensor<S> batch_norm(const BasicTensor<S>& x, const BasicTensor<S>& running_mean,
                          const BasicTensor<S>& running_var, const BasicTensor<S>& weight = {},
                          const BasicTensor<S>& bias = {}, bool training = false, double momentum = 0.1,
                          double eps = 1e-5);

}  // namespace xg
