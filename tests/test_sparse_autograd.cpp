// Sparse inputs and row-sparse gradients: the CSR type, sparse_matmul against
// the dense product, how sparse gradients add up, and EmbeddingBag.

#include <cmath>
#include <stdexcept>
#include <utility>
#include <vector>

#include <doctest/doctest.h>

#include <xgrad/xgrad.hpp>

namespace {

// [[1, 0, 2, 0],
//  [0, 0, 0, 0],
//  [0, 3, 0, 4]]
template <class S>
xg::CsrMatrix<S> small_csr() {
  return {.rows = 3, .cols = 4, .row_ptr = {0, 2, 2, 4}, .col = {0, 2, 1, 3}, .val = {1, 2, 3, 4}};
}

// W = [[1, 2], [3, 4], [5, 6], [7, 8]]
template <class S>
xg::BasicTensor<S> small_weight() {
  return xg::tensor<S>(xg::Array<S>{{1, 2}, {3, 4}, {5, 6}, {7, 8}}, true);
}

}  // namespace

TEST_CASE("CsrMatrix: slices of rows, memory, structure checks") {
  const auto m = small_csr<double>();
  const auto tail = m.slice_rows(1, 3);
  CHECK(tail.rows == 2);
  CHECK(tail.cols == 4);
  CHECK(tail.row_ptr == std::vector<std::size_t>{0, 0, 2});
  CHECK(tail.col == std::vector<std::size_t>{1, 3});
  CHECK(tail.val == std::vector<double>{3, 4});
  CHECK(m.slice_rows(2, 2).rows == 0);
  CHECK_THROWS_AS(m.slice_rows(2, 4), std::invalid_argument);
  CHECK_THROWS_AS(m.slice_rows(2, 1), std::invalid_argument);
  // 4 offsets and 4 column indices of 8 bytes, 4 doubles.
  CHECK(m.memory_bytes() == 4 * 8 + 4 * 8 + 4 * 8);
  CHECK(m.nnz() == 4);
  const auto d = m.to_dense();
  CHECK(d(0, 2) == 2.0);
  CHECK(d(2, 1) == 3.0);
  CHECK(d(1, 3) == 0.0);
  auto broken = m;
  broken.row_ptr = {0, 3, 2, 4};
  CHECK_THROWS_WITH_AS(broken.validate("op"), "op: row offsets decrease at row 1", std::invalid_argument);
}

TEST_CASE("sparse_matmul: values and W's row-sparse gradient, worked by hand") {
  auto w = small_weight<double>();
  const auto y = xg::sparse_matmul(small_csr<double>(), w);
  // Row 0: 1·[1, 2] + 2·[5, 6]; row 1 empty; row 2: 3·[3, 4] + 4·[7, 8].
  CHECK(y.value() == xg::Array<double>{{11, 14}, {0, 0}, {37, 44}});
  y.backward(xg::Array<double>{{1, 10}, {100, 1000}, {2, 20}});
  REQUIRE(w.has_sparse_grad());
  const auto& g = w.sparse_grad();
  // dW[c] = Σ val · dY[row]: column 0 ← 1·[1, 10], 1 ← 3·[2, 20], 2 ← 2·[1, 10], 3 ← 4·[2, 20].
  CHECK(g.rows == std::vector<std::size_t>{0, 1, 2, 3});
  CHECK(g.values == xg::Array<double>{{1, 10}, {6, 60}, {2, 20}, {8, 80}});
}

TEST_CASE("sparse_matmul: only the columns a batch holds get gradient rows") {
  auto w = small_weight<float>();
  const xg::CsrMatrix<float> x{.rows = 2, .cols = 4, .row_ptr = {0, 1, 3}, .col = {3, 1, 3}, .val = {1, 2, 0.5f}};
  xg::sum(xg::sparse_matmul(x, w)).backward();
  REQUIRE(w.has_sparse_grad());
  CHECK(w.sparse_grad().rows == std::vector<std::size_t>{1, 3});
  CHECK(w.sparse_grad().values == xg::Array<float>{{2, 2}, {1.5f, 1.5f}});
  // grad() densifies on demand; afterwards the gradient is dense.
  CHECK(w.grad() == xg::Array<float>{{0, 0}, {2, 2}, {0, 0}, {1.5f, 1.5f}});
  CHECK_FALSE(w.has_sparse_grad());
  CHECK_THROWS_AS(w.sparse_grad(), std::logic_error);
}

TEST_CASE("sparse_matmul: the gradient rows ascend across a wide vocabulary, and no call leaks into the next") {
  // W's row-sparse gradient from sum(x·W), W of one column: row c holds the
  // sum of the values in column c of x. Rows, then values.
  auto gradient_of = [](const xg::CsrMatrix<double>& x) {
    auto w = xg::zeros<double>({x.cols, 1}, true);
    xg::sum(xg::sparse_matmul(x, w)).backward();
    REQUIRE(w.has_sparse_grad());
    const auto& g = w.sparse_grad();
    return std::pair{g.rows, std::vector<double>(g.values.begin(), g.values.end())};
  };
  // Columns on both sides of 64- and 4,096-column boundaries, out of order
  // within a row, one repeated across rows and one within a row:
  // 64 ← 5 + 9, 9000 ← 1 + 7.
  const xg::CsrMatrix<double> wide{.rows = 2,
                                   .cols = 10000,
                                   .row_ptr = {0, 4, 9},
                                   .col = {9000, 3, 4096, 63, 64, 4095, 9000, 5000, 64},
                                   .val = {1, 2, 3, 4, 5, 6, 7, 8, 9}};
  CHECK(gradient_of(wide) == std::pair{std::vector<std::size_t>{3, 63, 64, 4095, 4096, 5000, 9000},
                                       std::vector<double>{2, 4, 14, 6, 3, 8, 8}});
  // A narrower matrix next, on the same thread: only its own columns.
  const xg::CsrMatrix<double> narrow{.rows = 1, .cols = 5, .row_ptr = {0, 2}, .col = {4, 1}, .val = {1, 2}};
  CHECK(gradient_of(narrow) == std::pair{std::vector<std::size_t>{1, 4}, std::vector<double>{2, 1}});
  // One column more than the widest so far, in the same 64-column word: the
  // tables grow with the vocabulary, not with its words.
  const xg::CsrMatrix<double> wider{.rows = 1, .cols = 10001, .row_ptr = {0, 2}, .col = {10000, 2}, .val = {3, 5}};
  CHECK(gradient_of(wider) == std::pair{std::vector<std::size_t>{2, 10000}, std::vector<double>{5, 3}});
}

TEST_CASE("sparse_matmul: gradcheck, and the same gradient as the dense matmul (float64)") {
  xg::manual_seed(3);
  const xg::CsrMatrix<double> x{
      .rows = 4, .cols = 6, .row_ptr = {0, 2, 3, 3, 6}, .col = {1, 4, 4, 0, 1, 5}, .val = {0.5, -2, 1.5, 3, 1, -1}};
  auto w = xg::randn<double>({6, 3}, true);
  const auto weights = xg::randn<double>({4, 3});
  auto r = xg::autograd::gradcheck(
      [&](const auto& in) { return xg::sum(xg::tanh(xg::sparse_matmul(x, in[0])) * weights); }, {w});
  CHECK_MESSAGE(r, r.message);

  const auto dense_x = xg::Tensor64(x.to_dense());
  auto w_dense = xg::Tensor64(xg::Array<double>(w.value()), true);
  xg::sum(xg::tanh(xg::sparse_matmul(x, w)) * weights).backward();
  xg::sum(xg::tanh(xg::matmul(dense_x, w_dense)) * weights).backward();
  CHECK(xg::sparse_matmul(x, w).value() == xg::matmul(dense_x, w_dense).value());
  const xg::Array<double> sparse_as_dense = w.grad();
  for (std::size_t i = 0; i < sparse_as_dense.size(); ++i)
    CHECK(sparse_as_dense.data()[i] == doctest::Approx(w_dense.grad().data()[i]).epsilon(1e-14));
}

TEST_CASE("sparse_matmul: shapes and structure are checked, naming the op") {
  auto w = small_weight<double>();
  auto x = small_csr<double>();
  x.cols = 5;
  CHECK_THROWS_WITH_AS(xg::sparse_matmul(x, w),
                       "sparse_matmul: cannot multiply a sparse (3, 5) matrix by (4, 2); W must be (5, d)",
                       xg::ShapeError);
  x = small_csr<double>();
  x.col[1] = 4;
  CHECK_THROWS_WITH_AS(xg::sparse_matmul(x, w), "sparse_matmul: column 4 is out of range for 4 columns",
                       std::invalid_argument);
  CHECK_THROWS_AS(xg::sparse_matmul(small_csr<double>(), xg::Tensor64()), std::invalid_argument);
}

TEST_CASE("row-sparse gradients: two uses of W merge their rows, summing the shared ones") {
  auto w = small_weight<double>();
  const xg::CsrMatrix<double> a{.rows = 1, .cols = 4, .row_ptr = {0, 2}, .col = {0, 2}, .val = {1, 1}};
  const xg::CsrMatrix<double> b{.rows = 1, .cols = 4, .row_ptr = {0, 2}, .col = {2, 3}, .val = {10, 100}};
  xg::sum(xg::sparse_matmul(a, w) + xg::sparse_matmul(b, w)).backward();
  REQUIRE(w.has_sparse_grad());
  CHECK(w.sparse_grad().rows == std::vector<std::size_t>{0, 2, 3});
  CHECK(w.sparse_grad().values == xg::Array<double>{{1, 1}, {11, 11}, {100, 100}});

  // A second backward accumulates into the same rows, as dense gradients do.
  xg::sum(xg::sparse_matmul(a, w)).backward();
  CHECK(w.sparse_grad().values == xg::Array<double>{{2, 2}, {12, 12}, {100, 100}});
  w.zero_grad();
  CHECK(w.has_sparse_grad());
  CHECK(w.sparse_grad().rows.empty());
  w.zero_grad(true);
  CHECK_FALSE(w.has_grad());
}

TEST_CASE("row-sparse gradients: sparse plus dense, in either order, is dense") {
  const xg::CsrMatrix<double> a{.rows = 1, .cols = 4, .row_ptr = {0, 1}, .col = {1}, .val = {2}};
  const auto ones = xg::ones<double>({1, 4});
  for (bool sparse_first : {true, false}) {
    auto w = small_weight<double>();
    auto sparse_part = [&] { xg::sum(xg::sparse_matmul(a, w)).backward(); };
    auto dense_part = [&] { xg::sum(xg::matmul(ones, w)).backward(); };
    if (sparse_first) {
      sparse_part();
      dense_part();
    } else {
      dense_part();
      sparse_part();
    }
    CHECK_FALSE(w.has_sparse_grad());
    CHECK(w.grad() == xg::Array<double>{{1, 1}, {3, 3}, {1, 1}, {1, 1}});
  }
  // Through an interior node: the engine hands its backward a dense gradient.
  auto w = small_weight<double>();
  auto doubled = w * 2.0;
  xg::sum(xg::sparse_matmul(a, doubled)).backward();
  CHECK_FALSE(w.has_sparse_grad());
  CHECK(w.grad() == xg::Array<double>{{0, 0}, {4, 4}, {0, 0}, {0, 0}});
}

TEST_CASE("EmbeddingBag: sums and means of weighted rows, with a row-sparse gradient") {
  xg::manual_seed(0);
  xg::nn::EmbeddingBag sum_bag(4, 2, {.mode = xg::nn::EmbeddingBagMode::sum});
  sum_bag.weight.value() = xg::Array<float>{{1, 2}, {3, 4}, {5, 6}, {7, 8}};
  const auto bags = small_csr<float>();
  const auto y = sum_bag(bags);
  CHECK(y.value() == xg::Array<float>{{11, 14}, {0, 0}, {37, 44}});
  xg::sum(y).backward();
  REQUIRE(sum_bag.weight.has_sparse_grad());
  CHECK(sum_bag.weight.sparse_grad().values == xg::Array<float>{{1, 1}, {3, 3}, {2, 2}, {4, 4}});

  // Mean: the weighted sum over the bag's number of entries (2, none, 2);
  // PyTorch's mode="mean" when every weight is 1.
  xg::nn::EmbeddingBag mean_bag(4, 2, {.mode = xg::nn::EmbeddingBagMode::mean});
  mean_bag.weight.value() = sum_bag.weight.value();
  const auto m = mean_bag(bags);
  CHECK(m.value() == xg::Array<float>{{5.5f, 7}, {0, 0}, {18.5f, 22}});
  xg::sum(m).backward();
  CHECK(mean_bag.weight.sparse_grad().values == xg::Array<float>{{0.5f, 0.5f}, {1.5f, 1.5f}, {1, 1}, {2, 2}});
  const xg::CsrMatrix<float> repeated{.rows = 1, .cols = 4, .row_ptr = {0, 3}, .col = {1, 1, 2}, .val = {1, 1, 1}};
  const auto r = mean_bag(repeated).value();
  CHECK(r(0, 0) == doctest::Approx(11.0 / 3).epsilon(1e-6));
  CHECK(r(0, 1) == doctest::Approx(14.0 / 3).epsilon(1e-6));

  // Given densely, the same values through a dense matmul.
  for (auto* bag : {&sum_bag, &mean_bag}) {
    bag->zero_grad(true);
    const auto dense = (*bag)(xg::Tensor(bags.to_dense())).value();
    const auto sparse = (*bag)(bags).value();
    for (std::size_t i = 0; i < dense.size(); ++i)
      CHECK(dense.data()[i] == doctest::Approx(sparse.data()[i]).epsilon(1e-6));
  }
  CHECK_THROWS_AS(sum_bag(xg::zeros({2, 3})), xg::ShapeError);
  CHECK_THROWS_AS(xg::nn::EmbeddingBag(0, 2), std::invalid_argument);
  CHECK(sum_bag.named_parameters().front().first == "weight");
}

TEST_CASE("EmbeddingBag: the weight is drawn from N(0, 1) as PyTorch's") {
  xg::manual_seed(1);
  xg::nn::EmbeddingBag bag(400, 50);
  const auto& w = bag.weight.value();
  double sum = 0, squares = 0;
  for (float v : w) {
    sum += v;
    squares += static_cast<double>(v) * v;
  }
  const double n = static_cast<double>(w.size()), mean = sum / n;
  // 20,000 draws: the mean within 4 standard errors (4/√n) of 0, the variance near 1.
  CHECK(std::abs(mean) < 4 / std::sqrt(n));
  CHECK(squares / n - mean * mean == doctest::Approx(1.0).epsilon(0.05));
}

TEST_CASE("sparse_addmm: input + x·W, the values and gradients of sparse_matmul(x, W) + input, bit for bit") {
  const auto x = small_csr<double>();
  // Inputs that broadcast to the product's (3, 2): a bias, a row, a column, a full matrix, a scalar.
  auto shaped = [](xg::Shape shape, std::vector<double> values) {
    auto a = xg::Array<double>::from_shape(shape);
    std::copy(values.begin(), values.end(), a.begin());
    return a;
  };
  const std::vector<xg::Array<double>> inputs{shaped({2}, {0.5, -2}), shaped({1, 2}, {0.25, 3}),
                                              shaped({3, 1}, {1, -1, 0.125}), shaped({3, 2}, {1, 2, 3, 4, 5, 6}),
                                              shaped({}, {0.75})};
  const xg::Array<double> upstream{{1, 10}, {100, 1000}, {2, 20}};
  for (const auto& start : inputs) {
    CAPTURE(xg::shape_to_string(start.shape()));
    auto fused_w = small_weight<double>();
    auto apart_w = small_weight<double>();
    xg::Tensor64 fused_in(start, true), apart_in(start, true);
    const auto fused = xg::sparse_addmm(fused_in, x, fused_w);
    const auto apart = xg::sparse_matmul(x, apart_w) + apart_in;
    CHECK(fused.value() == apart.value());
    fused.backward(upstream);
    apart.backward(upstream);
    CHECK(fused_in.grad() == apart_in.grad());
    CHECK(fused_w.sparse_grad().rows == apart_w.sparse_grad().rows);
    CHECK(fused_w.sparse_grad().values == apart_w.sparse_grad().values);
  }
  // By hand, with the bias [0.5, -2]: row 0 is 1·[1, 2] + 2·[5, 6] + b, row 1 b alone.
  auto w = small_weight<double>();
  CHECK(xg::sparse_addmm(xg::Tensor64(inputs[0]), x, w).value() ==
        xg::Array<double>{{11.5, 12}, {0.5, -2}, {37.5, 42}});
}

TEST_CASE("sparse_addmm: gradcheck over input and W (float64), and no graph without gradients") {
  xg::manual_seed(4);
  const xg::CsrMatrix<double> x{
      .rows = 4, .cols = 6, .row_ptr = {0, 2, 3, 3, 6}, .col = {1, 4, 4, 0, 1, 5}, .val = {0.5, -2, 1.5, 3, 1, -1}};
  auto w = xg::randn<double>({6, 3}, true);
  auto bias = xg::randn<double>({3}, true);
  const auto weights = xg::randn<double>({4, 3});
  auto r = xg::autograd::gradcheck(
      [&](const auto& in) { return xg::sum(xg::tanh(xg::sparse_addmm(in[0], x, in[1])) * weights); }, {bias, w});
  CHECK_MESSAGE(r, r.message);
  // Only the input needs a gradient: W gets none.
  auto frozen = xg::randn<double>({6, 3});
  xg::sum(xg::sparse_addmm(bias, x, frozen)).backward();
  CHECK(bias.grad() == xg::Array<double>{4, 4, 4});
  CHECK_FALSE(frozen.has_grad());
  xg::no_grad off;
  CHECK_FALSE(xg::sparse_addmm(bias, x, w).requires_grad());
}

TEST_CASE("sparse_addmm: shapes are checked, naming the op") {
  const auto x = small_csr<double>();
  auto w = small_weight<double>();
  CHECK_THROWS_WITH_AS(xg::sparse_addmm(xg::zeros<double>({4, 2}), x, w),
                       "sparse_addmm: cannot broadcast (4, 2) with (3, 2)", xg::ShapeError);
  CHECK_THROWS_WITH_AS(xg::sparse_addmm(xg::zeros<double>({2, 3, 2}), x, w),
                       "sparse_addmm: input of shape (2, 3, 2) does not broadcast to the product's (3, 2)",
                       xg::ShapeError);
  CHECK_THROWS_WITH_AS(xg::sparse_addmm(xg::zeros<double>({2}), x, xg::zeros<double>({5, 2})),
                       "sparse_addmm: cannot multiply a sparse (3, 4) matrix by (5, 2); W must be (4, d)",
                       xg::ShapeError);
  CHECK_THROWS_AS(xg::sparse_addmm(xg::Tensor64(), x, w), std::invalid_argument);
  CHECK_THROWS_AS(xg::sparse_addmm(xg::zeros<double>({2}), x, xg::Tensor64()), std::invalid_argument);
}
