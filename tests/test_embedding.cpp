// xg::embedding: the rows it picks, its row-sparse weight gradient against the
// dense one of index_select (an independent path), padding_idx, a float64
// gradcheck, Adagrad's exact row update on its gradient against the dense
// run, and the errors naming the index and num_embeddings.

#include <doctest/doctest.h>

#include <algorithm>
#include <cmath>
#include <string>
#include <vector>

#include <xtensor/xview.hpp>

#include <xgrad/optim/optim.hpp>
#include <xgrad/xgrad.hpp>

#include "exception_message.hpp"

namespace {

using xg::testing::contains;
using xg::testing::message_of;

template <class S>
xg::BasicTensor<S> table(std::size_t rows, std::size_t dim, std::uint64_t seed) {
  xg::Generator gen(seed);
  return xg::randn<S>({rows, dim}, true, gen);
}

}  // namespace

TEST_CASE("embedding: picks the weight's rows, the output shaped as the indices plus the row") {
  auto w = table<float>(5, 3, 1);
  const std::vector<std::size_t> idx{4, 0, 4, 2};
  auto out = xg::embedding(std::span<const std::size_t>(idx), w);
  REQUIRE(xg::shape_to_string(out.shape()) == "(4, 3)");
  for (std::size_t p = 0; p < idx.size(); ++p)
    for (std::size_t j = 0; j < 3; ++j) CHECK(out.value()(p, j) == w.value()(idx[p], j));
  xg::Array<std::size_t> grid = {{1, 2}, {3, 4}, {0, 0}};
  auto out2 = xg::embedding(grid, w);
  REQUIRE(xg::shape_to_string(out2.shape()) == "(3, 2, 3)");
  for (std::size_t a = 0; a < 3; ++a)
    for (std::size_t b = 0; b < 2; ++b)
      for (std::size_t j = 0; j < 3; ++j) CHECK(out2.value()(a, b, j) == w.value()(grid(a, b), j));
}

TEST_CASE("embedding: the row-sparse gradient equals index_select's dense one, padding row left out") {
  auto w = table<double>(6, 4, 2);
  const std::vector<std::size_t> idx{5, 1, 3, 1, 5, 5, 0, 3};
  xg::Generator gen(3);
  auto r = xg::randn<double>({idx.size(), 4}, false, gen);
  xg::sum(xg::embedding(std::span<const std::size_t>(idx), w) * r).backward();
  REQUIRE(w.has_sparse_grad());
  const auto& sparse = w.sparse_grad();
  CHECK(sparse.rows == std::vector<std::size_t>{0, 1, 3, 5});
  auto reference = table<double>(6, 4, 2);
  xg::sum(xg::index_select(reference, std::span<const std::size_t>(idx)) * r).backward();
  REQUIRE_FALSE(reference.has_sparse_grad());
  const xg::Array<double> dense = w.grad();  // densified
  CHECK(xt::allclose(dense, reference.grad(), 1e-15, 1e-15));

  // padding_idx 5 (and -1, the same row): that row's uses get no gradient.
  for (long padding : {5L, -1L}) {
    auto wp = table<double>(6, 4, 2);
    xg::sum(xg::embedding(std::span<const std::size_t>(idx), wp, padding) * r).backward();
    CHECK(wp.sparse_grad().rows == std::vector<std::size_t>{0, 1, 3});
    xg::Array<double> expected = reference.grad();
    xt::view(expected, 5, xt::all()) = 0.0;
    CHECK(xt::allclose(wp.grad(), expected, 1e-15, 1e-15));
  }
}

// Without padding: the padding row's zero gradient is by definition, not the
// derivative of the forward (which reads that row), as in torch.
TEST_CASE("embedding: gradcheck in float64, with repeated indices") {
  const std::vector<std::size_t> idx{2, 0, 2, 3, 3, 3};
  xg::Generator gen(4);
  auto r = xg::randn<double>({idx.size(), 3}, false, gen);
  const auto result = xg::autograd::gradcheck(
      [&](const std::vector<xg::Tensor64>& in) {
        return xg::sum(xg::tanh(xg::embedding(std::span<const std::size_t>(idx), in[0])) * r);
      },
      {table<double>(4, 3, 5)});
  CHECK_MESSAGE(result.passed, result.message);
}

TEST_CASE("embedding: Adagrad on its row-sparse gradient takes the exact row update of the dense run") {
  // A skip-gram-like loss: the score of pairs of rows through a fixed matrix.
  constexpr std::size_t words = 40, dim = 8, steps = 60;
  xg::Generator gen(6);
  std::vector<std::vector<std::size_t>> batches;
  for (std::size_t t = 0; t < steps; ++t) {
    std::vector<std::size_t> b;
    for (int k = 0; k < 6; ++k) {
      const double u = gen.uniform();
      b.push_back(static_cast<std::size_t>(words * u * u));  // frequent low rows, rare high rows
    }
    batches.push_back(b);
  }
  const auto target = xg::randn<double>({6, dim}, false, gen);
  auto run = [&](bool sparse) {
    auto w = table<double>(words, dim, 7);
    xg::optim::Adagrad<double> opt(xg::NamedTensors<double>{{"w", w}}, {.lr = 0.1});
    for (const auto& b : batches) {
      const std::span<const std::size_t> idx(b);
      auto rows = sparse ? xg::embedding(idx, w) : xg::index_select(w, idx);
      auto err = rows - target;
      opt.zero_grad(true);
      xg::sum(err * err).backward();
      if (sparse) REQUIRE(w.has_sparse_grad());
      opt.step();
    }
    return w;
  };
  const auto sparse = run(true), dense = run(false), start = table<double>(words, dim, 7);
  CHECK(xt::amax(xt::abs(dense.value() - start.value()))() > 0.1);
  CHECK(xt::allclose(sparse.value(), dense.value(), 1e-12, 1e-12));
  // The rows never drawn did not move on either path.
  for (std::size_t row = 0; row < words; ++row) {
    bool used = false;
    for (const auto& b : batches) used = used || std::find(b.begin(), b.end(), row) != b.end();
    if (!used) CHECK(xt::all(xt::equal(xt::view(sparse.value(), row), xt::view(start.value(), row))));
  }
}

TEST_CASE("embedding: errors name the op, the index and num_embeddings") {
  auto w = table<float>(5, 2, 8);
  const std::vector<std::size_t> idx{1, 7};
  CHECK(message_of<std::invalid_argument>([&] { xg::embedding(std::span<const std::size_t>(idx), w); }) ==
        "embedding: index 7 (at position 1) is out of range for num_embeddings 5");
  const std::vector<std::size_t> ok{1};
  CHECK(message_of<std::invalid_argument>([&] { xg::embedding(std::span<const std::size_t>(ok), w, 5L); }) ==
        "embedding: padding_idx 5 is out of range for num_embeddings 5");
  CHECK(message_of<std::invalid_argument>([&] { xg::embedding(std::span<const std::size_t>(ok), w, -6L); }) ==
        "embedding: padding_idx -6 is out of range for num_embeddings 5");
  CHECK(contains(message_of<xg::ShapeError>([&] { xg::embedding(std::span<const std::size_t>(ok), xg::zeros({5})); }),
                 "embedding: expects a 2-D weight (num_embeddings, embedding_dim), got shape (5,)"));
}

TEST_CASE("nn::Embedding: N(0, 1) weight with the padding row zeroed, forward from indices or a tensor of them") {
  xg::Generator gen(9);
  xg::nn::Embedding emb(2000, 4, {.padding_idx = -2}, gen);
  const auto& w = emb.weight.value();
  CHECK(xt::all(xt::equal(xt::view(w, 1998), 0.0f)));
  const double mean = xt::mean(w)(), std = xt::stddev(w)();
  CHECK(std::abs(mean) < 0.05);
  CHECK(std::abs(std - 1.0) < 0.05);
  const std::vector<std::size_t> idx{3, 1998, 3};
  auto out = emb(std::span<const std::size_t>(idx));
  auto from_tensor = emb(xg::tensor(xt::xarray<float>{3, 1998, 3}));
  CHECK(xt::all(xt::equal(out.value(), from_tensor.value())));
  xg::sum(out).backward();
  REQUIRE(emb.weight.has_sparse_grad());
  CHECK(emb.weight.sparse_grad().rows == std::vector<std::size_t>{3});  // the padding row gets none
  CHECK(xt::all(xt::equal(xt::view(emb.weight.sparse_grad().values, 0), 2.0f)));
  CHECK(message_of<std::invalid_argument>([&] { emb(xg::tensor(xt::xarray<float>{1.5f})); }) ==
        "Embedding: the index tensor holds 1.500000 at flat index 0, not a non-negative whole number");
  CHECK(message_of<std::invalid_argument>([&] { xg::nn::Embedding(4, 2, {.padding_idx = 4}); }) ==
        "Embedding: padding_idx 4 is out of range for num_embeddings 4");
}

TEST_CASE("nn::Embedding: state_dict round trip and to<double>()") {
  xg::nn::Embedding a(10, 3), b(10, 3);
  b.load_state_dict(a.state_dict());
  CHECK(xt::all(xt::equal(a.weight.value(), b.weight.value())));
  auto d = a.to<double>();
  CHECK(xt::allclose(d.weight.value(), xt::cast<double>(a.weight.value())));
  CHECK(d.options().padding_idx == a.options().padding_idx);
  const std::vector<std::size_t> idx{0, 9};
  const auto result = xg::autograd::gradcheck(
      [&](const std::vector<xg::Tensor64>& in) {
        d.weight = in[0];
        return xg::sum(xg::tanh(d(std::span<const std::size_t>(idx))));
      },
      {d.weight});
  CHECK_MESSAGE(result.passed, result.message);
}

TEST_CASE("embedding: rows met out of order around the padding row get their own sums, and come out ascending") {
  // Indices 5, 0 (padding), 2, 5: the rows first met are 5, 0, 2; the padding
  // row leaves the list, and row 2's entries must follow it down a slot.
  auto w = xg::zeros<double>({6, 2}, true);
  const std::vector<std::size_t> indices{5, 0, 2, 5};
  const auto out = xg::embedding(std::span<const std::size_t>(indices), w, 0);
  out.backward(xg::Array<double>{{1, 2}, {10, 20}, {100, 200}, {1000, 2000}});
  REQUIRE(w.has_sparse_grad());
  CHECK(w.sparse_grad().rows == std::vector<std::size_t>{2, 5});
  CHECK(w.sparse_grad().values == xg::Array<double>{{100, 200}, {1001, 2002}});
}
