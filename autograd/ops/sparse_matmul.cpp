// A sparse matrix times a dense one. Forward adds one row of W, scaled, per
// nonzero of x; backward gives W a row-sparse gradient over the distinct
// columns of x, never a dense (V, d) array: xᵀ·dOut restricted to those rows.

#include <bit>
#include <cstdint>
#include <string>
#include <utility>
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

// The distinct columns come out ascending without a sort: each nonzero sets
// its column's bit, and the bit of that bit's 64-bit word one level up; the
// words are then read back in order through the upper level, and cleared as
// they are read. A call costs its nonzeros plus one upper word per 4,096
// columns of W (25 words at 100,000 words), never a pass over V. The tables
// are kept per thread, all clear between calls; the slot table needs no
// clearing, since every column of a call is given its slot before it is read.
template <class S>
SparseOperand<S> keep_for_backward(const CsrMatrix<S>& x) {
  thread_local std::vector<std::uint64_t> column_bits, word_bits;
  thread_local std::vector<std::size_t> slot_of_column;
  const std::size_t words = (x.cols + 63) / 64;
  if (slot_of_column.size() < x.cols) {
    column_bits.resize(words, 0);
    word_bits.resize((words + 63) / 64, 0);
    slot_of_column.resize(x.cols);
  }
  SparseOperand<S> kept{x.row_ptr, std::vector<std::size_t>(x.col.size()), x.val, {}};
  kept.columns.reserve(x.col.size());  // push_back cannot throw with the bits set
  for (std::size_t column : x.col) {
    column_bits[column / 64] |= std::uint64_t{1} << (column % 64);
    word_bits[column / 4096] |= std::uint64_t{1} << (column / 64 % 64);
  }
  for (std::size_t upper = 0; upper < (words + 63) / 64; ++upper) {
    for (std::uint64_t marked = std::exchange(word_bits[upper], 0); marked; marked &= marked - 1) {
      const std::size_t word = upper * 64 + static_cast<std::size_t>(std::countr_zero(marked));
      for (std::uint64_t seen = std::exchange(column_bits[word], 0); seen; seen &= seen - 1) {
        const std::size_t column = word * 64 + static_cast<std::size_t>(std::countr_zero(seen));
        slot_of_column[column] = kept.columns.size();
        kept.columns.push_back(column);
      }
    }
  }
  for (std::size_t k = 0; k < x.col.size(); ++k) kept.slot[k] = slot_of_column[x.col[k]];
  return kept;
}

// For every nonzero k of every row i of the CSR structure: to[t] += val_k ·
// from[f], rows of width d, where (t, f) = rows_of(i, k). Forward and backward
// are both this loop. The widths of a few classes' logits get a loop of fixed
// length, which the compiler unrolls: those rows are as short as the
// per-nonzero work, and a loop of unknown length costs more than the sums.
template <std::size_t Width, class S, class RowsOf>
void add_scaled_rows_of(const std::vector<std::size_t>& row_ptr, const std::vector<S>& val, std::size_t d,
                        const S* from, S* to, RowsOf rows_of) {
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
void add_scaled_rows(const std::vector<std::size_t>& row_ptr, const std::vector<S>& val, std::size_t d,
                     const S* from, S* to, RowsOf rows_of) {
  if (d == 1) return add_scaled_rows_of<1>(row_ptr, val, d, from, to, rows_of);
  if (d == 2) return add_scaled_rows_of<2>(row_ptr, val, d, from, to, rows_of);
  add_scaled_rows_of<0>(row_ptr, val, d, from, to, rows_of);
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
  const std::size_t d = w.shape()[1];
  auto out = Array<S>::from_shape({x.rows, d});
  out.fill(S(0));
  const std::size_t* col = x.col.data();
  add_scaled_rows(x.row_ptr, x.val, d, w.value().data(), out.data(),
                  [col](std::size_t i, std::size_t k) { return std::pair{i, col[k]}; });
  typename Node<S>::BackwardFn backward;
  if (w.requires_grad() && is_grad_enabled())
    backward = [kept = keep_for_backward(x), d](Node<S>& self) {
      RowSparse<S> g{kept.columns, Array<S>::from_shape({kept.columns.size(), d})};
      g.values.fill(S(0));
      const std::size_t* slot = kept.slot.data();
      add_scaled_rows(kept.row_ptr, kept.val, d, self.grad.data(), g.values.data(),
                      [slot](std::size_t i, std::size_t k) { return std::pair{slot[k], i}; });
      self.inputs[0]->accumulate_sparse_grad(std::move(g));
    };
  return autograd::record<S>(op, std::move(out), {&w}, std::move(backward));
}

template BasicTensor<float> sparse_matmul(const CsrMatrix<float>&, const BasicTensor<float>&);
template BasicTensor<double> sparse_matmul(const CsrMatrix<double>&, const BasicTensor<double>&);

}  // namespace xg
