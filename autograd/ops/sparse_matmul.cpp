// A sparse matrix times a dense one. Forward adds one row of W, scaled, per
// nonzero of x; backward gives W a row-sparse gradient over the distinct
// columns of x, never a dense (V, d) array: xᵀ·dOut restricted to those rows.

#include <algorithm>
#include <bit>
#include <cstdint>
#include <span>
#include <string>
#include <type_traits>
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
  BufferVector<std::size_t> row_ptr;
  BufferVector<std::size_t> slot;
  BufferVector<S> val;
  BufferVector<std::size_t> columns;  // distinct, ascending: the rows of dW
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
  thread_local std::vector<std::size_t> slot_of_column, new_words;
  const std::size_t words = (x.cols + 63) / 64;
  if (slot_of_column.size() < x.cols) {
    column_bits.resize(words, 0);
    word_bits.resize((words + 63) / 64, 0);
    slot_of_column.resize(x.cols);
  }
  SparseOperand<S> kept{{x.row_ptr.begin(), x.row_ptr.end()},
                        BufferVector<std::size_t>(x.col.size()),
                        {x.val.begin(), x.val.end()},
                        BufferVector<std::size_t>(x.col.size())};
  // Raw pointers into the tables: through the thread_local vectors, every
  // store below made the compiler load their addresses again.
  std::uint64_t* const seen_bits = column_bits.data();
  std::uint64_t* const seen_words = word_bits.data();
  std::size_t* const slots = slot_of_column.data();
  if (new_words.size() < x.col.size()) new_words.resize(x.col.size());
  std::size_t* const fresh_words = new_words.data();
  // The upper bits are set afterwards, once per newly marked word: set by
  // every nonzero, the same few upper words made one long chain of dependent
  // loads and stores, and a branch on "new word" mispredicted. Recording the
  // word unconditionally and advancing the count by the test is neither.
  std::size_t marked_words = 0;
  for (std::size_t column : x.col) {
    std::uint64_t& seen = seen_bits[column / 64];
    fresh_words[marked_words] = column / 64;
    marked_words += seen == 0;
    seen |= std::uint64_t{1} << (column % 64);
  }
  for (std::size_t n = 0; n < marked_words; ++n)
    seen_words[fresh_words[n] / 64] |= std::uint64_t{1} << (fresh_words[n] % 64);
  std::size_t* const columns = kept.columns.data();
  std::size_t distinct = 0;
  for (std::size_t upper = 0; upper < (words + 63) / 64; ++upper) {
    for (std::uint64_t marked = std::exchange(seen_words[upper], 0); marked; marked &= marked - 1) {
      const std::size_t word = upper * 64 + static_cast<std::size_t>(std::countr_zero(marked));
      for (std::uint64_t seen = std::exchange(seen_bits[word], 0); seen; seen &= seen - 1) {
        const std::size_t column = word * 64 + static_cast<std::size_t>(std::countr_zero(seen));
        slots[column] = distinct;
        columns[distinct++] = column;
      }
    }
  }
  kept.columns.resize(distinct);
  std::size_t* const slot = kept.slot.data();
  for (std::size_t k = 0; k < x.col.size(); ++k) slot[k] = slots[x.col[k]];
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

}  // namespace

// out[i] = Σ_k val_k · W[col_k]   over the nonzeros k of row i
// dW[c]  = Σ_{k: col_k = c} val_k · dOut[row of k]
template <class S>
BasicTensor<S> sparse_matmul(const CsrMatrix<S>& x, const BasicTensor<S>& w) {
  const char* op = "sparse_matmul";
  if (!w.defined()) throw std::invalid_argument("sparse_matmul: W is an undefined (default-constructed) tensor");
  if (w.dim() != 2 || w.shape()[0] != x.cols)
    throw_shape_error(op, "cannot multiply a sparse (" + std::to_string(x.rows) + ", " + std::to_string(x.cols) +
                              ") matrix by " + shape_to_string(w.shape()) + "; W must be (" + std::to_string(x.cols) +
                              ", d)");
  x.validate(op);
  const std::size_t d = w.shape()[1];
  auto out = Array<S>::from_shape({x.rows, d});
  rows_times(x, d, w.value().data(), out.data());
  typename Node<S>::BackwardFn backward;
  if (w.requires_grad() && is_grad_enabled())
    backward = [kept = keep_for_backward(x), d](Node<S>& self) {
      RowSparse<S> g{{kept.columns.begin(), kept.columns.end()}, Array<S>::from_shape({kept.columns.size(), d})};
      g.values.fill(S(0));
      const std::size_t* slot = kept.slot.data();
      add_scaled_rows(kept.row_ptr, kept.val, d, self.grad.data(), g.values.data(),
                      [slot](std::size_t i, std::size_t k) {
                        return std::pair{slot[k], i};
                      });
      self.inputs[0]->accumulate_sparse_grad(std::move(g));
    };
  return autograd::record<S>(op, std::move(out), {&w}, std::move(backward));
}

template BasicTensor<float> sparse_matmul(const CsrMatrix<float>&, const BasicTensor<float>&);
template BasicTensor<double> sparse_matmul(const CsrMatrix<double>&, const BasicTensor<double>&);

}  // namespace xg
