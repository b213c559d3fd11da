#include <xgrad/datasets/csr_matrix.hpp>

#include <limits>
#include <string>

#include <xgrad/core/error.hpp>

namespace xg::datasets {

Array<float> to_dense(const CsrMatrix& m) {
  const char* op = "to_dense";
  if (m.cols != 0 && m.rows > std::numeric_limits<std::size_t>::max() / m.cols)
    throw_invalid_argument(op, std::to_string(m.rows) + " x " + std::to_string(m.cols) + " elements overflow");
  if (m.row_ptr.size() != m.rows + 1 || m.row_ptr.empty() || m.row_ptr.front() != 0 || m.row_ptr.back() != m.val.size() ||
      m.col.size() != m.val.size())
    throw_invalid_argument(op, "a CSR matrix of " + std::to_string(m.rows) + " rows needs " +
                                   std::to_string(m.rows + 1) + " row offsets from 0 to nnz and as many columns as values; got " +
                                   std::to_string(m.row_ptr.size()) + " offsets, " + std::to_string(m.col.size()) +
                                   " columns, " + std::to_string(m.val.size()) + " values");
  auto out = Array<float>::from_shape({m.rows, m.cols});
  out.fill(0.0f);
  float* dst = out.data();
  for (std::size_t r = 0; r < m.rows; ++r) {
    if (m.row_ptr[r] > m.row_ptr[r + 1])
      throw_invalid_argument(op, "row offsets decrease at row " + std::to_string(r));
    for (std::size_t k = m.row_ptr[r]; k < m.row_ptr[r + 1]; ++k) {
      if (m.col[k] >= m.cols)
        throw_invalid_argument(op, "column " + std::to_string(m.col[k]) + " is out of range for " +
                                       std::to_string(m.cols) + " columns");
      dst[r * m.cols + m.col[k]] += m.val[k];
    }
  }
  return out;
}

}  // namespace xg::datasets
