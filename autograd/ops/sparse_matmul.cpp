// A sparse matrix times a dense one, and (sparse_addmm) plus a dense input.
// Forward adds one row of W, scaled, per nonzero of x; backward gives W a
// row-sparse gradient over the distinct columns of x, never a dense (V, d)
// array: xᵀ·dOut restricted to those rows.

#include <algorithm>
#include <span>
#include <stdexcept>
#include <string>
#include <type_traits>
#include <utility>
#include <vector>

#include <xgrad/autograd/function.hpp>
#include <xgrad/autograd/ops.hpp>
#include <xgrad/core/detail/first_met_slots.hpp>

namespace xg {

namespace {

// What backward needs of x, kept by value (x may die before backward runs):
// for each nonzero, its row of x, its value, and the slot of its column among
// the distinct columns.
template <class S>
struct SparseOperand {
  BufferVector<std::size_t> row_ptr;
  BufferVector<std::size_t> slot;
  BufferVector<S> val;
  BufferVector<std::size_t> columns;  // distinct, in the order of their first nonzero: the rows of dW
};

template <class S>
SparseOperand<S> keep_for_backward(const char* op, const CsrMatrix<S>& x) {
  SparseOperand<S> kept{{x.row_ptr.begin(), x.row_ptr.end()},
                        BufferVector<std::size_t>(x.col.size()),
                        {x.val.begin(), x.val.end()},
                        BufferVector<std::size_t>(x.col.size())};
  kept.columns.resize(detail::first_met_slots(op, x.col, x.cols, kept.columns.data(), kept.slot.data()));
  return kept;
}

// For every nonzero k of every row i of the CSR structure: to[t] += val_k ·
// from[f], rows of width d, where (t, f) = rows_of(i, k). Forward and backward
// are both this loop. The widths of a few classes' logits get a loop of fixed
// length, which the compiler unrolls: those rows are as short as the
// per-nonzero work, and a loop of unknown length costs more than the sums.
template <std::size_t Width, class S, class RowsOf>
void add_scaled_rows_of(std::span<const std::size_t> row_ptr, std::type_identity_t<std::span<const S>> val,
                        std::size_t d, const S* from, S* to, RowsOf rows_of) {
  const std::size_t width = Width ? Width : d;
  for (std::size_t i = 0; i + 1 < row_ptr.size(); ++i) {
    for (std::size_t k = row_ptr[i]; k < row_ptr[i + 1]; ++k) {
      const auto [t, f] = rows_of(i, k);
      const S v = val[k];
      S* to_row = to + t * width;
      const S* from_row = from + f * width;
      for (std::size_t j = 0; j < width; ++j) to_row[j] += v * from_row[j];
    }
  }
}

template <class S, class RowsOf>
void add_scaled_rows(std::span<const std::size_t> row_ptr, std::type_identity_t<std::span<const S>> val, std::size_t d,
                     const S* from, S* to, RowsOf rows_of) {
  if (d == 1) return add_scaled_rows_of<1>(row_ptr, val, d, from, to, rows_of);
  if (d == 2) return add_scaled_rows_of<2>(row_ptr, val, d, from, to, rows_of);
  add_scaled_rows_of<0>(row_ptr, val, d, from, to, rows_of);
}

// out = x·W. A row of a few logits is summed in registers: summed in place, each
// nonzero's add waited for the store of the one before it.
template <std::size_t Width, class S>
void rows_times_of(const CsrMatrix<S>& x, const S* w, S* out) {
  for (std::size_t i = 0; i < x.rows; ++i) {
    S sum[Width] = {};
    for (std::size_t k = x.row_ptr[i]; k < x.row_ptr[i + 1]; ++k) {
      const S v = x.val[k];
      const S* w_row = w + x.col[k] * Width;
      for (std::size_t j = 0; j < Width; ++j) sum[j] += v * w_row[j];
    }
    for (std::size_t j = 0; j < Width; ++j) out[i * Width + j] = sum[j];
  }
}

template <class S>
void rows_times(const CsrMatrix<S>& x, std::size_t d, const S* w, S* out) {
  if (d == 1) return rows_times_of<1>(x, w, out);
  if (d == 2) return rows_times_of<2>(x, w, out);
  std::fill(out, out + x.rows * d, S(0));
  const std::size_t* col = x.col.data();
  add_scaled_rows(x.row_ptr, x.val, d, w, out, [col](std::size_t i, std::size_t k) { return std::pair{i, col[k]}; });
}

// Throws unless W is (x.cols, d) and x a valid CSR structure; returns d.
template <class S>
std::size_t check_operands(const char* op, const CsrMatrix<S>& x, const BasicTensor<S>& w) {
  if (!w.defined()) throw std::invalid_argument(std::string(op) + ": W is an undefined (default-constructed) tensor");
  if (w.dim() != 2 || w.shape()[0] != x.cols)
    throw_shape_error(op, "cannot multiply a sparse (" + std::to_string(x.rows) + ", " + std::to_string(x.cols) +
                              ") matrix by " + shape_to_string(w.shape()) + "; W must be (" + std::to_string(x.cols) +
                              ", d)");
  x.validate(op);
  return w.shape()[1];
}

// dW[c] = Σ_{k: col_k = c} val_k · dOut[row of k], as a row-sparse gradient.
template <class S>
void give_w_gradient(const SparseOperand<S>& kept, std::size_t d, const Node<S>& self, Node<S>& w) {
  RowSparse<S> g{{kept.columns.begin(), kept.columns.end()}, Array<S>::from_shape({kept.columns.size(), d}), false};
  g.values.fill(S(0));
  const std::size_t* slot = kept.slot.data();
  add_scaled_rows(kept.row_ptr, kept.val, d, self.grad.data(), g.values.data(), [slot](std::size_t i, std::size_t k) {
    return std::pair{slot[k], i};
  });
  // The columns are distinct by construction, and below W's rows: the
  // engine ran this closure only because W kept its recorded shape.
  w.accumulate_sparse_grad(std::move(g), RowCheck::range);
}

}  // namespace

// out[i] = Σ_k val_k · W[col_k]   over the nonzeros k of row i
template <class S>
BasicTensor<S> sparse_matmul(const CsrMatrix<S>& x, const BasicTensor<S>& w) {
  const char* op = "sparse_matmul";
  const std::size_t d = check_operands(op, x, w);
  auto out = Array<S>::from_shape({x.rows, d});
  rows_times(x, d, w.value().data(), out.data());
  typename Node<S>::BackwardFn backward;
  if (w.requires_grad() && is_grad_enabled())
    backward = [kept = keep_for_backward(op, x), d](Node<S>& self) { give_w_gradient(kept, d, self, *self.inputs[0]); };
  return autograd::record<S>(op, std::move(out), {&w}, std::move(backward));
}

// out = input + x·W; d input = dOut summed down to input's shape.
template <class S>
BasicTensor<S> sparse_addmm(const BasicTensor<S>& input, const CsrMatrix<S>& x, const BasicTensor<S>& w) {
  const char* op = "sparse_addmm";
  if (!input.defined()) throw std::invalid_argument("sparse_addmm: input is an undefined (default-constructed) tensor");
  const std::size_t d = check_operands(op, x, w);
  const InlineShape out_shape{x.rows, d};
  if (!shapes_equal(broadcast_shapes(op, input.shape(), out_shape), out_shape))
    throw_shape_error(op, "input of shape " + shape_to_string(input.shape()) + " does not broadcast to the product's " +
                              shape_to_string(out_shape));
  auto out = Array<S>::from_shape(out_shape);
  rows_times(x, d, w.value().data(), out.data());
  // Added after the product, as sparse_matmul(x, W) + input adds it.
  const Array<S>& in = input.value();
  if (in.size() == d && (in.dimension() == 1 || (in.dimension() == 2 && in.shape()[0] == 1))) {
    const S* bias = in.data();
    for (std::size_t i = 0; i < x.rows; ++i)
      for (std::size_t j = 0; j < d; ++j) out.data()[i * d + j] += bias[j];
  } else {
    xt::noalias(out) += in;
  }
  typename Node<S>::BackwardFn backward;
  if ((input.requires_grad() || w.requires_grad()) && is_grad_enabled()) {
    SparseOperand<S> kept;
    if (w.requires_grad()) kept = keep_for_backward(op, x);
    backward = [kept = std::move(kept), d](Node<S>& self) {
      if (self.inputs[0]->requires_grad) autograd::accumulate_broadcast(*self.inputs[0], self.grad);
      if (self.inputs[1]->requires_grad) give_w_gradient(kept, d, self, *self.inputs[1]);
    };
  }
  return autograd::record<S>(op, std::move(out), {&input, &w}, std::move(backward));
}

template BasicTensor<float> sparse_matmul(const CsrMatrix<float>&, const BasicTensor<float>&);
template BasicTensor<double> sparse_matmul(const CsrMatrix<double>&, const BasicTensor<double>&);
template BasicTensor<float> sparse_addmm(const BasicTensor<float>&, const CsrMatrix<float>&, const BasicTensor<float>&);
template BasicTensor<double> sparse_addmm(const BasicTensor<double>&, const CsrMatrix<double>&,
                                          const BasicTensor<double>&);

}  // namespace xg
