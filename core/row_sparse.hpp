#pragma once
// A gradient that is zero outside a few rows (of an embedding or of the first
// weight of a bag-of-words model): the rows' indices and their values only,
// as PyTorch's sparse gradients of nn.Embedding(sparse=True).

#include <cstddef>
#include <span>
#include <vector>

#include <xgrad/core/array.hpp>

namespace xg {

template <class Scalar>
struct RowSparse {
  std::vector<std::size_t> rows;  // ascending, no repeats
  Array<Scalar> values;           // (rows.size(), trailing dimensions of the dense tensor...)

  // Elements per row: the product of the trailing dimensions.
  std::size_t row_size() const;
};

// `into` += `other`: a sorted merge of the two row lists, adding the rows
// both hold. Both must have the same trailing dimensions.
template <class Scalar>
void merge_rows(RowSparse<Scalar>& into, const RowSparse<Scalar>& other);

// dense[rows[j]] += values[j] for every held row.
template <class Scalar>
void add_rows_to(Array<Scalar>& dense, const RowSparse<Scalar>& sparse);

// Throws a ShapeError naming `op` unless `sparse` is a gradient of a tensor of
// shape `dense_shape`: same trailing dimensions, rows ascending and in range.
template <class Scalar>
void check_rows_fit(const char* op, const RowSparse<Scalar>& sparse, std::span<const std::size_t> dense_shape);

extern template struct RowSparse<float>;
extern template struct RowSparse<double>;

}  // namespace xg
