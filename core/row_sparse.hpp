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
  std::vector<std::size_t> rows;  // no repeats; ascending unless `ascending` is false
  Array<Scalar> values;           // (rows.size(), trailing dimensions of the dense tensor...)
  // False when the op that made the gradient left its rows in the order it
  // met them (sparse_matmul: each word's first nonzero in the batch). No update
  // needs them ordered, and ordering them cost a sparse step a fifth of its
  // time; sort_rows orders them where a merge or a reader needs it.
  bool ascending = true;

  // Elements per row: the product of the trailing dimensions.
  std::size_t row_size() const;
};

// Orders the rows ascending, each row's values with it.
template <class Scalar>
void sort_rows(RowSparse<Scalar>& sparse);

// `into` += `other`: a sorted merge of the two row lists (ordered first if
// either is not), adding the rows both hold; the result ascends. Both must
// have the same trailing dimensions.
template <class Scalar>
void merge_rows(RowSparse<Scalar>& into, const RowSparse<Scalar>& other);

// dense[rows[j]] += values[j] for every held row.
template <class Scalar>
void add_rows_to(Array<Scalar>& dense, const RowSparse<Scalar>& sparse);

// What check_rows_fit verifies of the row list beyond the trailing dimensions.
enum class RowCheck {
  all,    // rows in range, without repeats, and ascending when the list says so
  range,  // rows in range only: for a list checked in full before (a gradient
          // a node holds, checked when it was accumulated), or made by an op
          // whose rows are distinct by construction (sparse_matmul)
};

// Throws a ShapeError naming `op` unless `sparse` is a gradient of a tensor of
// shape `dense_shape`: same trailing dimensions, and rows as `check` says.
template <class Scalar>
void check_rows_fit(const char* op, const RowSparse<Scalar>& sparse, std::span<const std::size_t> dense_shape,
                    RowCheck check = RowCheck::all);

extern template struct RowSparse<float>;
extern template struct RowSparse<double>;

}  // namespace xg
