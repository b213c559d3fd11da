// Data-parallel sharding of DataLoader and CsrDataLoader (num_replicas,
// rank): the ranks' shares of every batch, put side by side in rank order,
// are the batch of one loader with num_replicas x batch_size, in the same
// order, for full and last partial batches.

#include <doctest/doctest.h>

#include <vector>

#include <xgrad/xgrad.hpp>

namespace {

namespace datasets = xg::datasets;

// 23 samples whose single feature and label are their index.
datasets::DataLoader indexed_loader(datasets::DataLoaderOptions options, xg::Generator& gen) {
  auto features = xg::Array<float>::from_shape({23, 1});
  std::vector<std::size_t> labels(23);
  for (std::size_t i = 0; i < 23; ++i) {
    features(i, 0) = static_cast<float>(i);
    labels[i] = i;
  }
  return datasets::DataLoader(features, labels, options, gen);
}

}  // namespace

TEST_CASE("sharding: the ranks' shares of each batch, in rank order, are one loader's batch of p x b") {
  for (std::size_t p : {1, 2, 3, 4}) {
    for (bool drop_last : {false, true}) {
      CAPTURE(p);
      CAPTURE(drop_last);
      xg::Generator one_gen(3);
      auto one = indexed_loader({.batch_size = 2 * p, .drop_last = drop_last}, one_gen);
      std::vector<std::vector<std::size_t>> joined;
      for (const auto& batch : one) joined.push_back(batch.y);

      std::vector<std::vector<std::size_t>> shards(joined.size());
      for (std::size_t r = 0; r < p; ++r) {
        xg::Generator gen(3);
        auto shard = indexed_loader({.batch_size = 2, .drop_last = drop_last, .num_replicas = p, .rank = r}, gen);
        REQUIRE(shard.size() == joined.size());
        std::size_t b = 0;
        for (const auto& batch : shard) {
          // Contiguous shares: a rank's size is floor((r+1)n/p) - floor(rn/p).
          const std::size_t n = joined[b].size();
          CHECK(batch.y.size() == (r + 1) * n / p - r * n / p);
          for (std::size_t i = 0; i < batch.y.size(); ++i)
            CHECK(batch.x.value()(i, 0) == static_cast<float>(batch.y[i]));
          shards[b].insert(shards[b].end(), batch.y.begin(), batch.y.end());
          ++b;
        }
      }
      CHECK(shards == joined);
    }
  }
}

TEST_CASE("sharding: a last batch of 23 mod 8 = 7 samples over 4 ranks gives shares of 1, 2, 2, 2") {
  std::vector<std::size_t> sizes;
  for (std::size_t r = 0; r < 4; ++r) {
    xg::Generator gen(0);
    auto shard = indexed_loader({.batch_size = 2, .num_replicas = 4, .rank = r}, gen);
    std::size_t last = 0;
    for (const auto& batch : shard) last = batch.y.size();
    sizes.push_back(last);
  }
  CHECK(sizes == std::vector<std::size_t>{1, 2, 2, 2});
}

TEST_CASE("sharding: CsrDataLoader shards as DataLoader does") {
  xg::Generator dense_gen(5), sparse_gen(5);
  auto dense = indexed_loader({.batch_size = 3, .num_replicas = 2, .rank = 1}, dense_gen);
  xg::CsrMatrix<float> x{.rows = 23, .cols = 1, .row_ptr = {0}, .col = {}, .val = {}};
  std::vector<std::size_t> labels(23);
  for (std::size_t i = 0; i < 23; ++i) {
    x.col.push_back(0);
    x.val.push_back(static_cast<float>(i));
    x.row_ptr.push_back(i + 1);
    labels[i] = i;
  }
  datasets::CsrDataLoader sparse(x, labels, {.batch_size = 3, .num_replicas = 2, .rank = 1}, sparse_gen);
  std::vector<std::vector<std::size_t>> a, b;
  for (const auto& batch : dense) a.push_back(batch.y);
  for (const auto& batch : sparse) b.push_back(batch.y);
  CHECK(a == b);
}

// 23 samples, batch 2, 4 ranks: two full global batches of 8 give each rank
// 4, the last 7 give 1, 2, 2, 2; drop_last leaves 4 each.
TEST_CASE("sharding: num_samples is this rank's share of an epoch, as its batches add up") {
  const std::vector<std::size_t> expected{5, 6, 6, 6};
  for (std::size_t r = 0; r < 4; ++r) {
    CAPTURE(r);
    xg::Generator gen(0);
    auto shard = indexed_loader({.batch_size = 2, .num_replicas = 4, .rank = r}, gen);
    CHECK(shard.num_samples() == expected[r]);
    std::size_t served = 0;
    for (const auto& batch : shard) served += batch.y.size();
    CHECK(served == expected[r]);
    auto dropped = indexed_loader({.batch_size = 2, .drop_last = true, .num_replicas = 4, .rank = r}, gen);
    CHECK(dropped.num_samples() == 4);
  }
  xg::Generator gen(0);
  CHECK(indexed_loader({.batch_size = 8}, gen).num_samples() == 23);
  CHECK(indexed_loader({.batch_size = 8, .drop_last = true}, gen).num_samples() == 16);
  xg::CsrMatrix<float> x{.rows = 23, .cols = 1, .row_ptr = std::vector<std::size_t>(24, 0), .col = {}, .val = {}};
  datasets::CsrDataLoader sparse(x, std::vector<std::size_t>(23, 0), {.batch_size = 2, .num_replicas = 4, .rank = 0},
                                 gen);
  CHECK(sparse.num_samples() == 5);
}

TEST_CASE("sharding: a rank not below num_replicas, or no replicas, is refused naming the loader") {
  xg::Generator gen(0);
  CHECK_THROWS_WITH_AS(indexed_loader({.num_replicas = 2, .rank = 2}, gen),
                       doctest::Contains("rank 2 is not below num_replicas 2"), std::invalid_argument);
  CHECK_THROWS_WITH_AS(indexed_loader({.num_replicas = 0}, gen), doctest::Contains("num_replicas must be positive"),
                       std::invalid_argument);
}
