#pragma once
// A sparse matrix in compressed sparse row form, as bag-of-words documents
// are: row r's nonzeros are at col[row_ptr[r] .. row_ptr[r+1]) with values
// val[...], columns ascending within a row.

#include <cstddef>
#include <vector>

#include <xgrad/core/array.hpp>

namespace xg::datasets {

struct CsrMatrix {
  std::size_t rows = 0;
  std::size_t cols = 0;
  std::vector<std::size_t> row_ptr{0};  // rows + 1 offsets into col and val
  std::vector<std::size_t> col;
  std::vector<float> val;

  std::size_t nnz() const { return val.size(); }
};

// The dense (rows, cols) array. Throws std::invalid_argument when the
// structure is inconsistent (offsets, lengths or a column out of range).
Array<float> to_dense(const CsrMatrix& m);

}  // namespace xg::datasets
