#pragma once
// One pass over the elements of a parameter, its gradient and its state
// buffers, running an update written once for both SIMD batches and single
// values, over the whole parameter or over the rows a sparse gradient holds. g++ does not vectorize a loop that calls
// std::sqrt unless errno handling is off (-fno-math-errno), and every adaptive optimizer divides by a square root, so
// the loop is vectorized here explicitly with xsimd.
//
// The kernel receives (param, grad, state...) as modifiable values of one
// type: an xsimd::batch<Scalar>, or a Scalar for the tail. The parameter and
// the state are written back after it returns; the gradient is a copy the
// kernel may change (to negate it, add weight decay). A null state pointer
// stands for a buffer the options do not use: the kernel sees zeros there
// and nothing is written.

#include <algorithm>
#include <array>
#include <cstddef>
#include <cstring>
#include <type_traits>
#include <utility>
#include <vector>

#include <xsimd/xsimd.hpp>

#include <xgrad/core/array.hpp>
#include <xgrad/optim/gradient.hpp>

namespace xg::optim {

// The SIMD instruction set of the loops: what the build targets, but at most
// AVX2. The loops are bound by memory bandwidth, not arithmetic, so AVX-512
// gains nothing here, while g++ 12's AVX-512 sqrt and max intrinsics raise
// false -Wmaybe-uninitialized warnings (GCC bug 105593).
#if XSIMD_WITH_AVX2
using simd_arch = xsimd::avx2;
#else
using simd_arch = xsimd::default_arch;
#endif

namespace detail {

template <class V, class Scalar>
V load(const Scalar* p) {
  if constexpr (std::is_same_v<V, Scalar>)
    return *p;
  else
    return V::load_unaligned(p);
}

template <class V, class Scalar>
void store(Scalar* p, const V& v) {
  if constexpr (std::is_same_v<V, Scalar>)
    *p = v;
  else
    v.store_unaligned(p);
}

// Element `i` of the parameter and its state, element `gi` of the gradient.
template <class V, class Scalar, std::size_t N, class Kernel, std::size_t... Is>
void apply_at(std::size_t i, std::size_t gi, Kernel& kernel, Scalar* param, const Scalar* grad,
              const std::array<Scalar*, N>& state, std::index_sequence<Is...>) {
  V p = load<V>(param + i);
  V g = load<V>(grad + gi);
  std::array<V, N> s{(state[Is] ? load<V>(state[Is] + i) : V(Scalar(0)))...};
  kernel(p, g, s[Is]...);
  store(param + i, p);
  ((state[Is] ? store(state[Is] + i, s[Is]) : void()), ...);
}

// The kernel over the n elements of a dense parameter, its state and its
// gradient. Kept apart from apply_rows: with one index for all three arrays
// the multi-state kernels (centered RMSprop, Adadelta) run 1.2-1.4x faster.
template <class Scalar, std::size_t N, class Kernel, class Indices>
void apply_dense(Kernel& kernel, Scalar* param, const Scalar* grad, std::array<Scalar*, N> state, std::size_t n,
                 Indices indices) {
  using Batch = xsimd::batch<Scalar, simd_arch>;
  constexpr std::size_t width = Batch::size;
  std::size_t i = 0;
  for (; i + width <= n; i += width) apply_at<Batch>(i, i, kernel, param, grad, state, indices);
  for (; i < n; ++i) apply_at<Scalar>(i, i, kernel, param, grad, state, indices);
}

// Copies row rows[j] of `dense` to row j of `packed`, or back. Rows of a few
// elements are copied with a count known at compile time: a loop of unknown
// length becomes a call of memmove per row, which costs more than the row.
template <std::size_t Count, bool ToPacked, class Scalar, class Rows>
void move_rows_of(Scalar* dense, const Rows& rows, std::size_t row_size, Scalar* packed) {
  const std::size_t width = Count ? Count : row_size;
  // Read once: behind the span, every store could have changed them.
  const std::size_t* const row = rows.data();
  const std::size_t count = rows.size();
  for (std::size_t j = 0; j < count; ++j) {
    Scalar* d = dense + row[j] * width;
    Scalar* p = packed + j * width;
    // A row of known length as one copy of its bytes: a single load and
    // store for a row of 2 floats, where element by element each load
    // waited for the store before it.
    if constexpr (Count > 0)
      std::memcpy(ToPacked ? p : d, ToPacked ? d : p, Count * sizeof(Scalar));
    else
      std::copy_n(ToPacked ? d : p, width, ToPacked ? p : d);
  }
}

template <bool ToPacked, class Scalar, class Rows>
void move_rows(Scalar* dense, const Rows& rows, std::size_t row_size, Scalar* packed) {
  switch (row_size) {
    case 1: return move_rows_of<1, ToPacked>(dense, rows, row_size, packed);
    case 2: return move_rows_of<2, ToPacked>(dense, rows, row_size, packed);
    case 3: return move_rows_of<3, ToPacked>(dense, rows, row_size, packed);
    case 4: return move_rows_of<4, ToPacked>(dense, rows, row_size, packed);
    default: return move_rows_of<0, ToPacked>(dense, rows, row_size, packed);
  }
}

// Rows narrower than a SIMD batch, or not a multiple of it (a linear layer
// over two classes has rows of 2 floats), would run one element at a time, a
// square root and a division each: they are copied into consecutive scratch
// rows, updated there as one dense block, and copied back. In perf of the W3
// sparse benchmark the row update took 13-14 % of the samples one element at
// a time and 10 % so (the copies 6 %), of a shorter step.
template <class Scalar, std::size_t N, class Kernel, class Rows, class Indices>
void apply_gathered(Kernel& kernel, Scalar* param, const Scalar* grad, std::array<Scalar*, N> state, const Rows& rows,
                    std::size_t row_size, Indices indices) {
  // Each block starts on a 64-byte boundary: see the aligned stores above.
  thread_local std::vector<Scalar, xsimd::aligned_allocator<Scalar, 64>> scratch;
  constexpr std::size_t per_line = 64 / sizeof(Scalar);
  const std::size_t n = rows.size() * row_size, stride = (n + per_line - 1) / per_line * per_line;
  if (scratch.size() < stride * (N + 1)) scratch.resize(stride * (N + 1));
  Scalar* const gathered_param = scratch.data();
  std::array<Scalar*, N> gathered_state{};
  for (std::size_t b = 0; b < N; ++b) gathered_state[b] = state[b] ? scratch.data() + (b + 1) * stride : nullptr;
  move_rows<true>(param, rows, row_size, gathered_param);
  for (std::size_t b = 0; b < N; ++b)
    if (state[b]) move_rows<true>(state[b], rows, row_size, gathered_state[b]);
  apply_dense(kernel, gathered_param, grad, gathered_state, n, indices);
  move_rows<false>(param, rows, row_size, gathered_param);
  for (std::size_t b = 0; b < N; ++b)
    if (state[b]) move_rows<false>(state[b], rows, row_size, gathered_state[b]);
}

// The kernel over the row_size elements of each of `rows`, the
// gradient's values following one another: the rows a sparse gradient
// holds. One call for all rows, as rows of a
// few elements would otherwise cost more in calls than in arithmetic. The
// state pointers are taken by value: behind a reference, every SIMD store
// (which may alias anything) would force them to be reloaded and re-tested.
template <class Scalar, std::size_t N, class Kernel, class Rows, class Indices>
void apply_rows(Kernel& kernel, Scalar* param, const Scalar* grad, std::array<Scalar*, N> state, const Rows& rows,
                std::size_t row_size, Indices indices) {
  using Batch = xsimd::batch<Scalar, simd_arch>;
  constexpr std::size_t width = Batch::size;
  // g++ 12 at -O2 and above turns these unaligned stores into aligned ones
  // (vmovapd: a SIGSEGV where a row of 5 doubles starts 40 bytes in), so SIMD
  // runs only where every row starts on a batch boundary of the aligned arrays.
  const std::size_t batch_end = row_size % width == 0 ? row_size : 0;
  if (batch_end == 0 && rows.size() * row_size >= 2 * width)
    return apply_gathered(kernel, param, grad, state, rows, row_size, indices);
  std::size_t gi = 0;
  for (std::size_t row : rows) {
    const std::size_t offset = row * row_size;
    std::size_t i = 0;
    for (; i < batch_end; i += width) apply_at<Batch>(offset + i, gi + i, kernel, param, grad, state, indices);
    for (; i < row_size; ++i) apply_at<Scalar>(offset + i, gi + i, kernel, param, grad, state, indices);
    gi += row_size;
  }
}

}  // namespace detail

// β·state + x for a running average of squares, with the old state dropped
// when β is 0 (PyTorch allows betas[1], alpha and rho of 0). In float a
// gradient above ~1.8e19 squares to Inf; the average then holds Inf, which
// only shrinks the step, but 0·Inf would make it NaN and the NaN would reach
// the parameter. For finite states the result equals the plain formula bit
// for bit: the state is ≥ 0, so β·state is +0 and +0 + x is x.
template <class V, class Scalar>
V decayed_average(Scalar beta, const V& state, const V& x) {
  return beta == Scalar(0) ? x : beta * state + x;
}

// sign(x): −1, 0 or +1, with sign(0) = 0 (torch.sign, jnp.sign: Lion, Yogi);
// a NaN stays NaN rather than becoming a silent 0.
template <class V>
V sign_of(const V& x) {
  if constexpr (std::is_arithmetic_v<V>) {
    return x > 0 ? V(1) : (x < 0 ? V(-1) : x);
  } else {
    using Scalar = typename V::value_type;
    const V zero(Scalar(0)), one(Scalar(1));
    return xsimd::select(x > zero, one, xsimd::select(x < zero, -one, x));
  }
}

template <class Scalar, class Kernel, class... State>
void for_each_element(Kernel kernel, Array<Scalar>& param, const Gradient<Scalar>& grad, State*... state) {
  static_assert((std::is_same_v<State, Array<Scalar>> && ...), "state buffers are arrays of the parameter's type");
  const std::array<Scalar*, sizeof...(State)> buffers{(state ? state->data() : nullptr)...};
  const auto indices = std::index_sequence_for<State...>{};
  if (grad.dense) {
    detail::apply_dense(kernel, param.data(), grad.values, buffers, param.size(), indices);
    return;
  }
  detail::apply_rows(kernel, param.data(), grad.values, buffers, grad.rows, grad.row_size, indices);
}

}  // namespace xg::optim
