#pragma once
// A sparse matrix in compressed sparse row form, as bag-of-words documents
// are: row r's nonzeros are at col[row_ptr[r] .. row_ptr[r+1]) with values
// val[...]. Within a row, columns are usually ascending; a repeated column
// adds up, as in to_dense.

#include <cstddef>
#include <vector>

#include <xgrad/core/array.hpp>

namespace xg {

template <class Scalar>
struct CsrMatrix {
  static_assert(std::is_same_v<Scalar, float> || std::is_same_v<Scalar, double>, "CSR matrices hold float or double");
  using scalar_type = Scalar;

  std::size_t rows = 0;
  std::size_t cols = 0;
  std::vector<std::size_t> row_ptr{0};  // rows + 1 offsets into col and val
  std::vector<std::size_t> col;
  std::vector<Scalar> val;

  std::size_t nnz() const { return val.size(); }
  // What the three arrays occupy: the input memory a model reads.
  std::size_t memory_bytes() const {
    return row_ptr.size() * sizeof(std::size_t) + col.size() * sizeof(std::size_t) + val.size() * sizeof(Scalar);
  }

  // Throws std::invalid_argument, naming `op`, unless the offsets run from 0
  // to nnz without decreasing, there are as many columns as values, and every
  // column is below `cols`.
  void validate(const char* op) const;
  // The dense (rows, cols) array; validates first.
  Array<Scalar> to_dense() const;
  // Rows [begin, end) as a matrix of their own (a mini-batch). Checks only
  // the offsets it reads, so that slicing a batch costs the batch's size.
  CsrMatrix slice_rows(std::size_t begin, std::size_t end) const;
};

template <class Scalar>
Array<Scalar> to_dense(const CsrMatrix<Scalar>& m) {
  return m.to_dense();
}

extern template struct CsrMatrix<float>;
extern template struct CsrMatrix<double>;

}  // namespace xg
