// Row-sparse gradients whose rows are not in ascending order: sparse_matmul
// leaves them in the order it met the columns, and every reader (the
// accessor, a merge, the checks, an optimizer step) must see the gradient a
// sorted list would give. Expected values are worked by hand here.

#include <cmath>
#include <cstddef>
#include <utility>
#include <vector>

#include <doctest/doctest.h>

#include <xgrad/optim/optim.hpp>
#include <xgrad/xgrad.hpp>

namespace {

// A row-sparse gradient of one column per row, rows in the given order.
xg::RowSparse<double> column_rows(std::vector<std::size_t> rows, std::vector<double> values, bool ascending) {
  xg::RowSparse<double> g{std::move(rows), xg::Array<double>::from_shape({values.size(), 1}), ascending};
  std::copy(values.begin(), values.end(), g.values.begin());
  return g;
}

std::vector<double> values_of(const xg::RowSparse<double>& g) { return {g.values.begin(), g.values.end()}; }

// Rows 0 and 1 of x meet the columns 3, 0, then 2, 3: W's gradient rows are
// 3, 0, 2 in that order, and dW[c] = Σ val · dY[row of the nonzero].
const xg::CsrMatrix<double> met_out_of_order{
    .rows = 2, .cols = 5, .row_ptr = {0, 2, 4}, .col = {3, 0, 2, 3}, .val = {1, 2, 3, 4}};

}  // namespace

TEST_CASE("row-sparse: sparse_matmul keeps the rows in the order it met them; the accessor sorts them, values along") {
  auto w = xg::zeros<double>({5, 2}, true);
  xg::sparse_matmul(met_out_of_order, w).backward(xg::Array<double>{{1, 10}, {100, 1000}});
  const xg::RowSparse<double>& held = *w.node()->sparse_grad;
  CHECK_FALSE(held.ascending);
  CHECK(held.rows == std::vector<std::size_t>{3, 0, 2});
  // Column 3: 1·[1, 10] + 4·[100, 1000]; column 0: 2·[1, 10]; column 2: 3·[100, 1000].
  CHECK(held.values == xg::Array<double>{{401, 4010}, {2, 20}, {300, 3000}});
  const auto& read = w.sparse_grad();
  CHECK(read.ascending);
  CHECK(read.rows == std::vector<std::size_t>{0, 2, 3});
  CHECK(read.values == xg::Array<double>{{2, 20}, {300, 3000}, {401, 4010}});
}

TEST_CASE("row-sparse: merges of lists in any order ascend and add the shared rows") {
  auto into = column_rows({5, 1}, {1, 2}, false);
  xg::merge_rows(into, column_rows({1, 3, 0}, {10, 20, 30}, false));
  CHECK(into.ascending);
  CHECK(into.rows == std::vector<std::size_t>{0, 1, 3, 5});
  CHECK(values_of(into) == std::vector<double>{30, 12, 20, 1});

  xg::RowSparse<double> empty{{}, xg::Array<double>::from_shape({0, 1})};
  xg::merge_rows(empty, column_rows({4, 2}, {7, 8}, false));
  CHECK(empty.rows == std::vector<std::size_t>{2, 4});
  CHECK(values_of(empty) == std::vector<double>{8, 7});

  // Two uses of W in one graph, each meeting its columns out of order.
  auto w = xg::zeros<double>({5, 1}, true);
  const xg::CsrMatrix<double> second{.rows = 2, .cols = 5, .row_ptr = {0, 2, 2}, .col = {4, 0}, .val = {5, 6}};
  xg::sum(xg::sparse_matmul(met_out_of_order, w) + xg::sparse_matmul(second, w)).backward();
  CHECK(w.sparse_grad().rows == std::vector<std::size_t>{0, 2, 3, 4});
  CHECK(values_of(w.sparse_grad()) == std::vector<double>{2 + 6, 3, 1 + 4, 5});
}

TEST_CASE("row-sparse: a list in any order is checked for range and repeats, naming the entry") {
  auto w = xg::zeros<double>({5, 1}, true);
  CHECK_THROWS_WITH_AS(w.node()->accumulate_sparse_grad(column_rows({2, 0, 2}, {1, 1, 1}, false)),
                       "leaf: row 2 (entry 2) of a row-sparse gradient is out of range or repeated for a tensor of "
                       "shape (5, 1) (rows must be distinct, below 5)",
                       xg::ShapeError);
  CHECK_THROWS_WITH_AS(w.node()->accumulate_sparse_grad(column_rows({4, 1, 1, 4}, {1, 1, 1, 1}, false)),
                       "leaf: row 1 (entry 2) of a row-sparse gradient is out of range or repeated for a tensor of "
                       "shape (5, 1) (rows must be distinct, below 5)",
                       xg::ShapeError);
  CHECK_THROWS_WITH_AS(w.node()->accumulate_sparse_grad(column_rows({1, 7}, {1, 1}, false)),
                       "leaf: row 7 (entry 1) of a row-sparse gradient is out of range or repeated for a tensor of "
                       "shape (5, 1) (rows must be distinct, below 5)",
                       xg::ShapeError);
  CHECK_THROWS_WITH_AS(w.node()->accumulate_sparse_grad(column_rows({2, 0}, {1, 1}, true)),
                       "leaf: row 0 (entry 1) of a row-sparse gradient is out of range or order for a tensor of "
                       "shape (5, 1) (rows must ascend, below 5)",
                       xg::ShapeError);
  CHECK_FALSE(w.has_grad());
  // A check leaves nothing behind for the next one: the same rows again,
  // then in another order, are accepted, and merged.
  w.node()->accumulate_sparse_grad(column_rows({4, 0, 3}, {1, 2, 3}, false));
  w.node()->accumulate_sparse_grad(column_rows({3, 4}, {10, 20}, false));
  CHECK(w.sparse_grad().rows == std::vector<std::size_t>{0, 3, 4});
  CHECK(values_of(w.sparse_grad()) == std::vector<double>{2, 13, 21});
  // Checked for range only, as a step checks a gradient a node holds: a row
  // past the tensor is still refused.
  CHECK_THROWS_AS(
      xg::check_rows_fit("op", column_rows({9, 0}, {1, 1}, false), std::vector<std::size_t>{5, 1}, xg::RowCheck::range),
      xg::ShapeError);
}

TEST_CASE("row-sparse: Adagrad steps a gradient in any order as it steps the sorted one") {
  // The first Adagrad step moves every element with a gradient g by
  // lr · g / (|g| + eps), whatever the order of the rows.
  const double lr = 0.1, eps = 1e-10;
  const xg::Array<double> start{{1, 2}, {3, 4}, {5, 6}, {7, 8}, {9, 10}};
  xg::Tensor64 w(start, true);
  xg::sparse_matmul(met_out_of_order, w).backward(xg::Array<double>{{1, -1}, {-0.5, 2}});
  REQUIRE_FALSE(w.node()->sparse_grad->ascending);
  xg::optim::Adagrad<double>({w}, {.lr = lr, .eps = eps}).step();
  // Column 3: 1·[1, -1] + 4·[-0.5, 2] = [-1, 7]; column 0: [2, -2]; column 2: [-1.5, 6].
  const std::vector<std::pair<std::size_t, std::vector<double>>> gradient{{0, {2, -2}}, {2, {-1.5, 6}}, {3, {-1, 7}}};
  xg::Array<double> expected = start;
  for (const auto& row : gradient)
    for (std::size_t c = 0; c < 2; ++c) {
      const double g = row.second[c];
      expected(row.first, c) -= lr * g / (std::abs(g) + eps);
    }
  for (std::size_t r = 0; r < 5; ++r)
    for (std::size_t c = 0; c < 2; ++c) CHECK(w.value()(r, c) == doctest::Approx(expected(r, c)).epsilon(1e-14));
  CHECK(w.value()(1, 0) == 3.0);
  CHECK(w.value()(4, 1) == 10.0);
}
