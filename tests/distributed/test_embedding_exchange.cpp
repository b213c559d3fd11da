// The row-sparse gradients of Embedding and EmbeddingBag (as well as
// sparse_matmul's, in test_equality.cpp) go through the all-gather and give
// every rank the gradient and the exact Adagrad step of one process on the
// global batch.

#include <doctest/doctest.h>

#include "common.hpp"

namespace {

using namespace dist_test;

constexpr std::size_t rows_per_rank = 6, classes = 4, vocabulary = 50;

// Samples [first, last) of the global batch: sample k looks up rows
// (7k + 3) mod 50 and, in a bag, also (3k + 20) mod 50; its label is k mod 4.
std::vector<std::size_t> labels_of(std::size_t first, std::size_t last) {
  std::vector<std::size_t> y;
  for (std::size_t k = first; k < last; ++k) y.push_back(k % classes);
  return y;
}
xg::BasicTensor<double> embedding_logits(xg::nn::BasicEmbedding<double>& table, std::size_t first, std::size_t last) {
  std::vector<std::size_t> indices;
  for (std::size_t k = first; k < last; ++k) indices.push_back((7 * k + 3) % vocabulary);
  return table(indices);
}
xg::BasicTensor<double> bag_logits(xg::nn::BasicEmbeddingBag<double>& table, std::size_t first, std::size_t last) {
  xg::CsrMatrix<double> bags{.rows = last - first, .cols = vocabulary, .row_ptr = {0}, .col = {}, .val = {}};
  for (std::size_t k = first; k < last; ++k) {
    bags.col.push_back((7 * k + 3) % vocabulary);
    bags.col.push_back((3 * k + 20) % vocabulary);
    if (bags.col[bags.col.size() - 2] > bags.col.back()) std::swap(bags.col[bags.col.size() - 2], bags.col.back());
    bags.val.insert(bags.val.end(), {1.0, 1.0});
    bags.row_ptr.push_back(bags.col.size());
  }
  return table(bags);
}

// One Adagrad step of the global batch on one process against the same step
// with every rank's share and the all-gathered gradient.
template <class Table, class Logits>
void check_step_equals_one_process(Logits logits) {
  const std::size_t p = static_cast<std::size_t>(world_size()), r = static_cast<std::size_t>(rank());
  xg::Generator one_gen(5), shard_gen(5);
  Table one(vocabulary, classes, {}, one_gen), shard(vocabulary, classes, {}, shard_gen);
  xg::optim::Adagrad<double> one_opt(one.parameters(), {.lr = 0.1}), shard_opt(shard.parameters(), {.lr = 0.1});

  xg::nn::functional::cross_entropy(logits(one, 0, p * rows_per_rank), labels_of(0, p * rows_per_rank)).backward();
  const std::size_t first = r * rows_per_rank, last = first + rows_per_rank;
  xg::nn::functional::cross_entropy(logits(shard, first, last), labels_of(first, last)).backward();
  const auto stats = xd::all_reduce_gradients(shard.parameters(), rows_per_rank);
  CHECK(stats.all_gather_calls == 3);
  CHECK(stats.dense_bytes == 0);
  REQUIRE(shard.weight.has_sparse_grad());
  REQUIRE(one.weight.has_sparse_grad());
  one_opt.step();
  shard_opt.step();  // Adagrad's exact row update, on the gathered rows
  CHECK(relative_difference(shard.weight.grad(), one.weight.grad()) <= 1e-12);
  CHECK(relative_difference(shard.weight.value(), one.weight.value()) <= 1e-12);
  CHECK(same_on_every_rank(std::vector<xg::Array<double>>{shard.weight.value()}));
}

}  // namespace

TEST_CASE("distributed: Embedding's row-sparse gradient, all-gathered, gives one process's Adagrad step") {
  check_step_equals_one_process<xg::nn::BasicEmbedding<double>>(embedding_logits);
}

TEST_CASE("distributed: EmbeddingBag's row-sparse gradient, all-gathered, gives one process's Adagrad step") {
  check_step_equals_one_process<xg::nn::BasicEmbeddingBag<double>>(bag_logits);
}
