#pragma once
// Every differentiable operation. Elementwise binary ops follow NumPy
// broadcasting; axes may be negative (counted from the end). Each op's
// forward and backward live side by side in autograd/ops/<family>.cpp.

#include <cstddef>
#include <cstdint>
#include <limits>
#include <span>
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
template <class S> BasicTensor<S> add(const BasicTensor<S>& a, const BasicTensor<S>& b);
template <class S> BasicTensor<S> sub(const BasicTensor<S>& a, const BasicTensor<S>& b);
template <class S> BasicTensor<S> mul(const BasicTensor<S>& a, const BasicTensor<S>& b);
template <class S> BasicTensor<S> div(const BasicTensor<S>& a, const BasicTensor<S>& b);
template <class S> BasicTensor<S> neg(const BasicTensor<S>& a);
template <class S> BasicTensor<S> add(const BasicTensor<S>& a, Scalar_t<S> b);
template <class S> BasicTensor<S> mul(const BasicTensor<S>& a, Scalar_t<S> b);
// b - a and b / a, for the scalar-on-the-left operators.
template <class S> BasicTensor<S> rsub(const BasicTensor<S>& a, Scalar_t<S> b);
template <class S> BasicTensor<S> rdiv(const BasicTensor<S>& a, Scalar_t<S> b);

template <class S> BasicTensor<S> operator+(const BasicTensor<S>& a, const BasicTensor<S>& b) { return add(a, b); }
template <class S> BasicTensor<S> operator-(const BasicTensor<S>& a, const BasicTensor<S>& b) { return sub(a, b); }
template <class S> BasicTensor<S> operator*(const BasicTensor<S>& a, const BasicTensor<S>& b) { return mul(a, b); }
template <class S> BasicTensor<S> operator/(const BasicTensor<S>& a, const BasicTensor<S>& b) { return div(a, b); }
template <class S> BasicTensor<S> operator-(const BasicTensor<S>& a) { return neg(a); }
template <class S> BasicTensor<S> operator+(const BasicTensor<S>& a, Scalar_t<S> b) { return add(a, b); }
template <class S> BasicTensor<S> operator+(Scalar_t<S> a, const BasicTensor<S>& b) { return add(b, a); }
template <class S> BasicTensor<S> operator-(const BasicTensor<S>& a, Scalar_t<S> b) { return add(a, -b); }
template <class S> BasicTensor<S> operator-(Scalar_t<S> a, const BasicTensor<S>& b) { return rsub(b, a); }
template <class S> BasicTensor<S> operator*(const BasicTensor<S>& a, Scalar_t<S> b) { return mul(a, b); }
template <class S> BasicTensor<S> operator*(Scalar_t<S> a, const BasicTensor<S>& b) { return mul(b, a); }
template <class S> BasicTensor<S> operator/(const BasicTensor<S>& a, Scalar_t<S> b) { return mul(a, S(1) / b); }
template <class S> BasicTensor<S> operator/(Scalar_t<S> a, const BasicTensor<S>& b) { return rdiv(b, a); }

// --- elementwise math (ops/elementwise.cpp) ---
template <class S> BasicTensor<S> pow(const BasicTensor<S>& x, double exponent);
template <class S> BasicTensor<S> exp(const BasicTensor<S>& x);
template <class S> BasicTensor<S> log(const BasicTensor<S>& x);
// log(1 + x) and exp(x) - 1, exact for small x where log and exp round to 0.
template <class S> BasicTensor<S> log1p(const BasicTensor<S>& x);
template <class S> BasicTensor<S> expm1(const BasicTensor<S>& x);
template <class S> BasicTensor<S> sqrt(const BasicTensor<S>& x);
template <class S> BasicTensor<S> sin(const BasicTensor<S>& x);
template <class S> BasicTensor<S> cos(const BasicTensor<S>& x);
template <class S> BasicTensor<S> abs(const BasicTensor<S>& x);
// Limits x to [min, max]; the gradient passes where x lies inside.
template <class S>
BasicTensor<S> clamp(const BasicTensor<S>& x, double min = -std::numeric_limits<double>::infinity(),
                     double max = std::numeric_limits<double>::infinity());
// Elementwise max/min of two tensors (broadcasting); ties split the gradient evenly.
template <class S> BasicTensor<S> maximum(const BasicTensor<S>& a, const BasicTensor<S>& b);
template <class S> BasicTensor<S> minimum(const BasicTensor<S>& a, const BasicTensor<S>& b);
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
template <class S> BoolArray eq(const BasicTensor<S>& a, const BasicTensor<S>& b);
template <class S> BoolArray ne(const BasicTensor<S>& a, const BasicTensor<S>& b);
template <class S> BoolArray lt(const BasicTensor<S>& a, const BasicTensor<S>& b);
template <class S> BoolArray le(const BasicTensor<S>& a, const BasicTensor<S>& b);
template <class S> BoolArray gt(const BasicTensor<S>& a, const BasicTensor<S>& b);
template <class S> BoolArray ge(const BasicTensor<S>& a, const BasicTensor<S>& b);
template <class S> BoolArray eq(const BasicTensor<S>& a, Scalar_t<S> b);
template <class S> BoolArray ne(const BasicTensor<S>& a, Scalar_t<S> b);
template <class S> BoolArray lt(const BasicTensor<S>& a, Scalar_t<S> b);
template <class S> BoolArray le(const BasicTensor<S>& a, Scalar_t<S> b);
template <class S> BoolArray gt(const BasicTensor<S>& a, Scalar_t<S> b);
template <class S> BoolArray ge(const BasicTensor<S>& a, Scalar_t<S> b);

template <class S> BoolArray operator<(const BasicTensor<S>& a, const BasicTensor<S>& b) { return lt(a, b); }
template <class S> BoolArray operator<=(const BasicTensor<S>& a, const BasicTensor<S>& b) { return le(a, b); }
template <class S> BoolArray operator>(const BasicTensor<S>& a, const BasicTensor<S>& b) { return gt(a, b); }
template <class S> BoolArray operator>=(const BasicTensor<S>& a, const BasicTensor<S>& b) { return ge(a, b); }
template <class S> BoolArray operator<(const BasicTensor<S>& a, Scalar_t<S> b) { return lt(a, b); }
template <class S> BoolArray operator<=(const BasicTensor<S>& a, Scalar_t<S> b) { return le(a, b); }
template <class S> BoolArray operator>(const BasicTensor<S>& a, Scalar_t<S> b) { return gt(a, b); }
template <class S> BoolArray operator>=(const BasicTensor<S>& a, Scalar_t<S> b) { return ge(a, b); }
template <class S> BoolArray operator<(Scalar_t<S> a, const BasicTensor<S>& b) { return gt(b, a); }
template <class S> BoolArray operator<=(Scalar_t<S> a, const BasicTensor<S>& b) { return ge(b, a); }
template <class S> BoolArray operator>(Scalar_t<S> a, const BasicTensor<S>& b) { return lt(b, a); }
template <class S> BoolArray operator>=(Scalar_t<S> a, const BasicTensor<S>& b) { return le(b, a); }

// --- activations (ops/activation.cpp) ---
template <class S> BasicTensor<S> tanh(const BasicTensor<S>& x);
template <class S> BasicTensor<S> sigmoid(const BasicTensor<S>& x);
template <class S> BasicTensor<S> relu(const BasicTensor<S>& x);
// As torch.nn.functional: log(1 + exp(beta x)) / beta, and x itself where
// beta x > threshold (where the two agree to rounding).
template <class S> BasicTensor<S> softplus(const BasicTensor<S>& x, double beta = 1.0, double threshold = 20.0);
// x Phi(x) with the exact erf; approximate = "tanh" for
// 0.5 x (1 + tanh(sqrt(2/pi) (x + 0.044715 x^3))), as torch's `approximate`.
template <class S> BasicTensor<S> gelu(const BasicTensor<S>& x, std::string_view approximate = "none");
// x sigmoid(x) (also called swish).
template <class S> BasicTensor<S> silu(const BasicTensor<S>& x);
// x where x > 0, alpha (exp(x) - 1) elsewhere.
template <class S> BasicTensor<S> elu(const BasicTensor<S>& x, double alpha = 1.0);
// x where x > 0, negative_slope x elsewhere.
template <class S> BasicTensor<S> leaky_relu(const BasicTensor<S>& x, double negative_slope = 0.01);
// Numerically stable: subtracts the max along `axis` first.
template <class S> BasicTensor<S> softmax(const BasicTensor<S>& x, long axis = -1);
template <class S> BasicTensor<S> log_softmax(const BasicTensor<S>& x, long axis = -1);

// --- reductions (ops/reduction.cpp) ---
template <class S> BasicTensor<S> sum(const BasicTensor<S>& x);
template <class S> BasicTensor<S> sum(const BasicTensor<S>& x, const std::vector<long>& axes, bool keepdims = false);
template <class S> BasicTensor<S> mean(const BasicTensor<S>& x);
template <class S> BasicTensor<S> mean(const BasicTensor<S>& x, const std::vector<long>& axes, bool keepdims = false);
// Ties split the gradient evenly among the maxima.
template <class S> BasicTensor<S> max(const BasicTensor<S>& x);
template <class S> BasicTensor<S> max(const BasicTensor<S>& x, const std::vector<long>& axes, bool keepdims = false);
template <class S> BasicTensor<S> min(const BasicTensor<S>& x);
template <class S> BasicTensor<S> min(const BasicTensor<S>& x, const std::vector<long>& axes, bool keepdims = false);
// log(sum(exp(x))) over the axes, shifted by the max so that nothing overflows.
template <class S> BasicTensor<S> logsumexp(const BasicTensor<S>& x, const std::vector<long>& axes, bool keepdims = false);
// sum((x - mean)^2) / (n - correction) and its square root; correction = 1
// (Bessel's, torch's default) unless given. Over all elements with
// correction 1, or over `axes`; n - correction must be positive.
template <class S> BasicTensor<S> var(const BasicTensor<S>& x);
template <class S>
BasicTensor<S> var(const BasicTensor<S>& x, const std::vector<long>& axes, bool keepdims = false, double correction = 1);
template <class S> BasicTensor<S> std(const BasicTensor<S>& x);
template <class S>
BasicTensor<S> std(const BasicTensor<S>& x, const std::vector<long>& axes, bool keepdims = false, double correction = 1);
// The index of the first maximum (minimum), NaN counting as one, as torch:
// over the flattened tensor (a 0-D array), or along `axis`.
template <class S> IndexArray argmax(const BasicTensor<S>& x);
template <class S> IndexArray argmax(const BasicTensor<S>& x, long axis, bool keepdims = false);
template <class S> IndexArray argmin(const BasicTensor<S>& x);
template <class S> IndexArray argmin(const BasicTensor<S>& x, long axis, bool keepdims = false);

// --- products and shapes (ops/matmul.cpp, ops/shape.cpp, ops/indexing.cpp) ---
// 2-D x 2-D, and the 1-D cases as NumPy defines them ((k)x(k,n), (m,k)x(k), (k)x(k)).
// A 3-D operand is a batch, as torch.matmul: (b,m,k)x(b,k,n), (b,m,k)x(k,n),
// (m,k)x(b,k,n), a batch of 1 broadcast against the other's, and a 1-D side.
template <class S> BasicTensor<S> matmul(const BasicTensor<S>& a, const BasicTensor<S>& b);
// (b,m,k)x(b,k,n) only, as torch.bmm.
template <class S> BasicTensor<S> bmm(const BasicTensor<S>& a, const BasicTensor<S>& b);
// x W for a sparse x of shape (n, V) and W of shape (V, d): (n, d). W's
// gradient is row-sparse, over the columns of x that hold a nonzero
// (ops/sparse_matmul.cpp).
template <class S> BasicTensor<S> sparse_matmul(const CsrMatrix<S>& x, const BasicTensor<S>& w);
// Reverses the axes (a matrix's transpose).
template <class S> BasicTensor<S> transpose(const BasicTensor<S>& x);
template <class S> BasicTensor<S> reshape(const BasicTensor<S>& x, const Shape& shape);
// Joins tensors along `axis`; all other dimensions must agree.
template <class S> BasicTensor<S> concat(const std::vector<BasicTensor<S>>& xs, long axis = 0);
// Rows of a tensor by index along axis 0: x[indices].
template <class S> BasicTensor<S> index_select(const BasicTensor<S>& x, std::span<const std::size_t> indices);
// For a 2-D x of shape (n, c): the n values x[i, indices[i]] (what cross-entropy needs).
template <class S> BasicTensor<S> gather(const BasicTensor<S>& x, std::span<const std::size_t> indices);

}  // namespace xg
