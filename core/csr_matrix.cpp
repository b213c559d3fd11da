#include <xgrad/core/csr_matrix.hpp>

#include <algorithm>
#include <string>

#include <xgrad/core/error.hpp>

namespace xg {

template <class Scalar>
void CsrMatrix<Scalar>::validate(const char* op) const {
  // Compared as size - 1 == rows: rows + 1 wraps to 0 when rows is SIZE_MAX.
  if (row_ptr.empty() || row_ptr.size() - 1 != rows || row_ptr.front() != 0 || row_ptr.back() != val.size() ||
      col.size() != val.size())
    throw_invalid_argument(op, "a CSR matrix of " + std::to_string(rows) + " rows needs rows + 1" +
                                   " row offsets from 0 to nnz and as many columns as values; got " +
                                   std::to_string(row_ptr.size()) + " offsets, " + std::to_string(col.size()) +
                                   " columns, " + std::to_string(val.size()) + " values");
  // Every multiplication validates its batch, so the checks run without a
  // branch per entry; the entry to name is searched for only when one fails.
  unsigned decreasing = 0;
  for (std::size_t r = 0; r < rows; ++r) decreasing |= row_ptr[r] > row_ptr[r + 1];
  std::size_t largest = 0;
  for (std::size_t c : col) largest = std::max(largest, c);
  const bool out_of_range = !col.empty() && largest >= cols;
  if (decreasing)
    for (std::size_t r = 0; r < rows; ++r)
      if (row_ptr[r] > row_ptr[r + 1]) throw_invalid_argument(op, "row offsets decrease at row " + std::to_string(r));
  if (out_of_range)
    for (std::size_t c : col)
      if (c >= cols)
        throw_invalid_argument(
            op, "column " + std::to_string(c) + " is out of range for " + std::to_string(cols) + " columns");
}

template <class Scalar>
Array<Scalar> CsrMatrix<Scalar>::to_dense() const {
  const char* op = "to_dense";
  checked_numel(op, Shape{rows, cols});
  validate(op);
  auto out = Array<Scalar>::from_shape({rows, cols});
  out.fill(Scalar(0));
  Scalar* dst = out.data();
  for (std::size_t r = 0; r < rows; ++r)
    for (std::size_t k = row_ptr[r]; k < row_ptr[r + 1]; ++k) dst[r * cols + col[k]] += val[k];
  return out;
}

template <class Scalar>
CsrMatrix<Scalar> CsrMatrix<Scalar>::slice_rows(std::size_t begin, std::size_t end) const {
  if (begin > end || end > rows)
    throw_invalid_argument("slice_rows", "rows [" + std::to_string(begin) + ", " + std::to_string(end) +
                                             ") are out of range for a matrix of " + std::to_string(rows) + " rows");
  const bool offsets_fit = !row_ptr.empty() && row_ptr.size() - 1 == rows && row_ptr[begin] <= row_ptr[end] &&
                           row_ptr[end] <= col.size() && row_ptr[end] <= val.size();
  if (!offsets_fit) validate("slice_rows");
  CsrMatrix out{.rows = end - begin, .cols = cols, .row_ptr = {}, .col = {}, .val = {}};
  const std::size_t first = row_ptr[begin], last = row_ptr[end];
  out.row_ptr.reserve(out.rows + 1);
  for (std::size_t r = begin; r <= end; ++r) out.row_ptr.push_back(row_ptr[r] - first);
  out.col.assign(col.begin() + static_cast<std::ptrdiff_t>(first), col.begin() + static_cast<std::ptrdiff_t>(last));
  out.val.assign(val.begin() + static_cast<std::ptrdiff_t>(first), val.begin() + static_cast<std::ptrdiff_t>(last));
  return out;
}

template struct CsrMatrix<float>;
template struct CsrMatrix<double>;

}  // namespace xg
