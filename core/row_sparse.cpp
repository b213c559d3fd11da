#include <xgrad/core/row_sparse.hpp>

#include <algorithm>
#include <array>
#include <iterator>
#include <numeric>
#include <string>
#include <utility>
#include <vector>

#include <xgrad/core/detail/first_met_slots.hpp>
#include <xgrad/core/error.hpp>

namespace xg {

template <class Scalar>
std::size_t RowSparse<Scalar>::row_size() const {
  std::size_t n = 1;
  for (std::size_t d = 1; d < values.dimension(); ++d) n *= values.shape()[d];
  return n;
}

template <class Scalar>
void sort_rows(RowSparse<Scalar>& sparse) {
  if (sparse.ascending) return;
  const std::vector<std::size_t>& rows = sparse.rows;
  std::vector<std::size_t> order(rows.size());
  std::iota(order.begin(), order.end(), std::size_t{0});
  std::sort(order.begin(), order.end(), [&rows](std::size_t a, std::size_t b) { return rows[a] < rows[b]; });
  const std::size_t width = sparse.row_size();
  std::vector<std::size_t> sorted(rows.size());
  auto values = Array<Scalar>::from_shape(sparse.values.shape());
  for (std::size_t j = 0; j < order.size(); ++j) {
    sorted[j] = rows[order[j]];
    std::copy_n(sparse.values.data() + order[j] * width, width, values.data() + j * width);
  }
  sparse.rows = std::move(sorted);
  sparse.values = std::move(values);
  sparse.ascending = true;
}

template <class Scalar>
void merge_rows(RowSparse<Scalar>& into, const RowSparse<Scalar>& other) {
  if (other.rows.empty()) return;
  if (into.rows.empty()) {
    into = other;
    sort_rows(into);
    return;
  }
  if (!other.ascending) {
    RowSparse<Scalar> sorted = other;
    sort_rows(sorted);
    return merge_rows(into, sorted);
  }
  sort_rows(into);
  const std::size_t width = into.row_size();
  if (other.row_size() != width || other.values.dimension() != into.values.dimension())
    throw_shape_error("merge_rows", "row-sparse gradients of values " + shape_to_string(into.values.shape()) + " and " +
                                        shape_to_string(other.values.shape()) + " do not fit together");
  std::vector<std::size_t> rows;
  rows.reserve(into.rows.size() + other.rows.size());
  std::set_union(into.rows.begin(), into.rows.end(), other.rows.begin(), other.rows.end(), std::back_inserter(rows));
  InlineShape shape(into.values.shape().begin(), into.values.shape().end());
  shape[0] = rows.size();
  auto values = Array<Scalar>::from_shape(shape);
  values.fill(Scalar(0));
  Scalar* out = values.data();
  for (const RowSparse<Scalar>* part : std::array<const RowSparse<Scalar>*, 2>{&into, &other}) {
    const Scalar* in = part->values.data();
    std::size_t slot = 0;
    for (std::size_t j = 0; j < part->rows.size(); ++j) {
      while (rows[slot] != part->rows[j]) ++slot;
      Scalar* dst = out + slot * width;
      const Scalar* src = in + j * width;
      for (std::size_t k = 0; k < width; ++k) dst[k] += src[k];
    }
  }
  into.rows = std::move(rows);
  into.values = std::move(values);
}

template <class Scalar>
void add_rows_to(Array<Scalar>& dense, const RowSparse<Scalar>& sparse) {
  const std::size_t width = sparse.row_size();
  Scalar* out = dense.data();
  const Scalar* in = sparse.values.data();
  for (std::size_t j = 0; j < sparse.rows.size(); ++j) {
    Scalar* dst = out + sparse.rows[j] * width;
    const Scalar* src = in + j * width;
    for (std::size_t k = 0; k < width; ++k) dst[k] += src[k];
  }
}

namespace {

// Whether `rows`, all below `limit`, holds no row twice.
bool no_repeats(std::span<const std::size_t> rows, std::size_t limit) {
  BufferVector<std::size_t> distinct(rows.size()), slot(rows.size());
  return detail::first_met_slots("check_rows_fit", rows, limit, distinct.data(), slot.data()) == rows.size();
}

// The first entry out of range, or else the first that repeats an earlier one.
std::size_t first_misplaced(const std::size_t* rows, std::size_t n, std::size_t limit) {
  for (std::size_t j = 0; j < n; ++j)
    if (rows[j] >= limit) return j;
  std::vector<std::size_t> order(n);
  std::iota(order.begin(), order.end(), std::size_t{0});
  std::stable_sort(order.begin(), order.end(), [rows](std::size_t a, std::size_t b) { return rows[a] < rows[b]; });
  std::size_t first = n;
  for (std::size_t j = 1; j < n; ++j)
    if (rows[order[j]] == rows[order[j - 1]]) first = std::min(first, order[j]);
  return first;
}

}  // namespace

template <class Scalar>
void check_rows_fit(const char* op, const RowSparse<Scalar>& sparse, std::span<const std::size_t> dense_shape,
                    RowCheck check) {
  const auto& vs = sparse.values.shape();
  bool fits = !dense_shape.empty() && vs.size() == dense_shape.size() && vs[0] == sparse.rows.size();
  for (std::size_t d = 1; fits && d < vs.size(); ++d) fits = vs[d] == dense_shape[d];
  if (!fits)
    throw_shape_error(op, "a row-sparse gradient of " + std::to_string(sparse.rows.size()) + " rows with values " +
                              shape_to_string(vs) + " does not fit a tensor of shape " + shape_to_string(dense_shape));
  // Checked without a branch per row (a sparse step checks every gradient
  // when it is accumulated and again, for its range, when it is applied),
  // then searched for the entry to name only when one is wrong.
  const std::size_t* rows = sparse.rows.data();
  const std::size_t n = sparse.rows.size(), limit = dense_shape[0];
  if (sparse.ascending) {
    // Ascending rows are all in range when the last one is.
    unsigned ascending = 1;
    if (check == RowCheck::all)
      for (std::size_t j = 1; j < n; ++j) ascending &= rows[j] > rows[j - 1];
    if (ascending && (n == 0 || rows[n - 1] < limit)) return;
    for (std::size_t j = 0; j < n; ++j)
      if (rows[j] >= limit || (j > 0 && rows[j] <= rows[j - 1]))
        throw_shape_error(op, "row " + std::to_string(rows[j]) + " (entry " + std::to_string(j) +
                                  ") of a row-sparse gradient is out of range or order for a tensor of shape " +
                                  shape_to_string(dense_shape) + " (rows must ascend, below " + std::to_string(limit) +
                                  ")");
  }
  std::size_t largest = 0;
  for (std::size_t j = 0; j < n; ++j) largest = std::max(largest, rows[j]);
  if (n == 0 || (largest < limit && (check == RowCheck::range || no_repeats(sparse.rows, limit)))) return;
  const std::size_t entry = first_misplaced(rows, n, limit);
  throw_shape_error(op, "row " + std::to_string(rows[entry]) + " (entry " + std::to_string(entry) +
                            ") of a row-sparse gradient is out of range or repeated for a tensor of shape " +
                            shape_to_string(dense_shape) + " (rows must be distinct, below " + std::to_string(limit) +
                            ")");
}

#define XGRAD_INSTANTIATE(S)                                    \
  template struct RowSparse<S>;                                 \
  template void sort_rows(RowSparse<S>&);                       \
  template void merge_rows(RowSparse<S>&, const RowSparse<S>&); \
  template void add_rows_to(Array<S>&, const RowSparse<S>&);    \
  template void check_rows_fit(const char*, const RowSparse<S>&, std::span<const std::size_t>, RowCheck);
XGRAD_INSTANTIATE(float)
XGRAD_INSTANTIATE(double)

}  // namespace xg
