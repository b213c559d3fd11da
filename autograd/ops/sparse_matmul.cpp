// A sparse matrix times a dense one. Forward adds one row of W, scaled, per
// nonzero of x; backward gives W a row-sparse gradient over the distinct
// columns of x, never a dense (V, d) array: xᵀ·dOut restricted to those rows.

#include <algorithm>
#include <string>
#include <vector>

#include <xgrad/autograd/function.hpp>
#include <xgrad/autograd/ops.hpp>

namespace xg {

namespace {

// What backward needs of x, kept by value (x may die before backward runs):
// for each nonzero, its row of x, its value, and the slot of its column among
// the distinct columns.
template <class S>
struct SparseOperand {
  std::vector<std::size_t> row_ptr;
  std::vector<std::size_t> slot;
  std::vector<S> val;
  std::vector<std::size_t> columns;  // distinct, ascending: the rows of dW
};

// A table indexed by column, as large as W has rows, marks the columns seen
// and then holds their slots: two linear passes over the nonzeros and a sort
// of the distinct columns only. It is kept per thread between calls and left
// all unmarked after each, so a call costs nothing of size V but its first.
template <class S>
SparseOperand<S> keep_for_backward(const CsrMatrix<S>& x) {
  constexpr std::size_t unseen = static_cast<std::size_t>(-1);
  thread_local std::vector<std::size_t> slot_of_column;
  if (slot_of_column.size() < x.cols) slot_of_column.resize(x.cols, unseen);
  SparseOperand<S> kept{x.row_ptr, std::vector<std::size_t>(x.col.size()), x.val, {}};
  kept.columns.reserve(x.col.size());  // push_back cannot throw with the table marked
  for (std::size_t column : x.col) {
    if (slot_of_column[column] != unseen) continue;
    slot_of_column[column] = 0;
    kept.columns.push_back(column);
  }
  std::sort(kept.columns.begin(), kept.columns.end());
  for (std::size_t s = 0; s < kept.columns.size(); ++s) slot_of_column[kept.columns[s]] = s;
  for (std::size_t k = 0; k < x.col.size(); ++k) kept.slot[k] = slot_of_column[x.col[k]];
  for (std::size_t column : kept.columns) slot_of_column[column] = unseen;
  return kept;
}

}  // namespace

// out[i] = Σ_k val_k · W[col_k]   over the nonzeros k of row i
// dW[c]  = Σ_{k: col_k = c} val_k · dOut[row of k]
template <class S>
BasicTensor<S> sparse_matmul(const CsrMatrix<S>& x, const BasicTensor<S>& w) {
  const char* op = "sparse_matmul";
  if (!w.defined()) throw std::invalid_argument("sparse_matmul: W is an undefined (default-constructed) tensor");
  if (w.dim() != 2 || w.shape()[0] != x.cols)
    throw_shape_error(op, "cannot multiply a sparse (" + std::to_string(x.rows) + ", " + std::to_string(x.cols) +
                              ") matrix by " + shape_to_string(w.shape()) + "; W must be (" +
                              std::to_string(x.cols) + ", d)");
  x.validate(op);
  const std::size_t n = x.rows, d = w.shape()[1];
  auto out = Array<S>::from_shape({n, d});
  out.fill(S(0));
  const S* weight = w.value().data();
  S* dst = out.data();
  for (std::size_t i = 0; i < n; ++i) {
    S* out_row = dst + i * d;
    for (std::size_t k = x.row_ptr[i]; k < x.row_ptr[i + 1]; ++k) {
      const S v = x.val[k];
      const S* w_row = weight + x.col[k] * d;
      for (std::size_t j = 0; j < d; ++j) out_row[j] += v * w_row[j];
    }
  }
  typename Node<S>::BackwardFn backward;
  if (w.requires_grad() && is_grad_enabled())
    backward = [kept = keep_for_backward(x), d](Node<S>& self) {
      RowSparse<S> g{kept.columns, Array<S>::from_shape({kept.columns.size(), d})};
      g.values.fill(S(0));
      S* rows = g.values.data();
      const S* dout = self.grad.data();
      for (std::size_t i = 0; i + 1 < kept.row_ptr.size(); ++i) {
        const S* dout_row = dout + i * d;
        for (std::size_t k = kept.row_ptr[i]; k < kept.row_ptr[i + 1]; ++k) {
          const S v = kept.val[k];
          S* g_row = rows + kept.slot[k] * d;
          for (std::size_t j = 0; j < d; ++j) g_row[j] += v * dout_row[j];
        }
      }
      self.inputs[0]->accumulate_sparse_grad(std::move(g));
    };
  return autograd::record<S>(op, std::move(out), {&w}, std::move(backward));
}

template BasicTensor<float> sparse_matmul(const CsrMatrix<float>&, const BasicTensor<float>&);
template BasicTensor<double> sparse_matmul(const CsrMatrix<double>&, const BasicTensor<double>&);

}  // namespace xg
