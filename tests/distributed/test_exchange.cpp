// What all_reduce_gradients moves: buckets and their calls, the bytes it
// reports, and MPI's errors as exceptions.

#include <doctest/doctest.h>

#include "../exception_message.hpp"
#include "common.hpp"

namespace {

using namespace dist_test;

// The MLP's gradients on this rank's 8 rows of the first 8 x p digits.
std::vector<xg::Tensor> mlp_with_gradients() {
  const auto data = digits(8 * static_cast<std::size_t>(world_size()));
  const std::size_t first = 8 * static_cast<std::size_t>(rank());
  Mlp<float> model(3);
  xg::Tensor x(xt::view(data.features, xt::range(first, first + 8), xt::all()));
  std::vector<std::size_t> y(data.labels.begin() + static_cast<long>(first),
                             data.labels.begin() + static_cast<long>(first + 8));
  xg::nn::functional::cross_entropy(model(x), y).backward();
  return model.parameters();
}

}  // namespace

TEST_CASE("distributed: dense gradients go in buckets of bucket_bytes, one MPI_Allreduce each, same sums") {
  const auto one_bucket = mlp_with_gradients();
  const auto small_buckets = mlp_with_gradients();
  const auto a = xd::all_reduce_gradients(one_bucket, 8);
  // 1000 bytes holds none of w1 (16,384 B), b1 (256 B), w2 (2,560 B), b2 (40 B)
  // with its neighbour: four buckets.
  const auto b = xd::all_reduce_gradients(small_buckets, 8, {.bucket_bytes = 1000});
  CHECK(a.all_reduce_calls == 1);
  CHECK(b.all_reduce_calls == 4);
  // Two ranks' sums a + b are the same bits in any algorithm; with three or
  // more, Open MPI picks its algorithm, and so the order of the additions, by
  // message size.
  for (std::size_t i = 0; i < one_bucket.size(); ++i) {
    if (world_size() <= 2)
      CHECK(one_bucket[i].grad() == small_buckets[i].grad());
    else
      CHECK(relative_difference(small_buckets[i].grad(), one_bucket[i].grad()) <= 1e-6);
  }

  const double p = world_size();
  const std::size_t gradient_bytes = (64 * 64 + 64 + 64 * 10 + 10) * 4;
  CHECK(a.dense_bytes == gradient_bytes);
  CHECK(a.sparse_bytes == 0);
  // Ring all-reduce: 2(p-1)/p of the gradient, and of the 1 + 2 x 4 + 1 counts (8 bytes each).
  CHECK(a.bytes_sent ==
        static_cast<std::size_t>(2 * (p - 1) / p * gradient_bytes) + static_cast<std::size_t>(2 * (p - 1) / p * 80));
}

TEST_CASE("distributed: MPI's errors are exceptions naming the call and MPI's message") {
  xg::nn::Sequential model{xg::nn::Linear(4, 2)};
  const std::string message =
      xg::testing::message_of<xd::MpiError>([&] { xd::broadcast_parameters(model, /*root=*/world_size() + 3); });
  CHECK(xg::testing::contains(message, "MPI_Bcast failed: MPI_ERR_ROOT"));
}

TEST_CASE("distributed: a second Environment is refused; sum_over_ranks adds every rank's value") {
  int argc = 0;
  char** argv = nullptr;
  CHECK_THROWS_WITH_AS(xd::Environment(argc, argv), doctest::Contains("MPI is already initialised"), xd::MpiError);
  const int p = world_size();
  // 1 + 2 + ... + p
  CHECK(xd::sum_over_ranks(rank() + 1.0) == p * (p + 1) / 2.0);
}

TEST_CASE("distributed: a gradient that does not fit its parameter on one rank stops every rank, none waits") {
  REQUIRE(world_size() > 1);
  const auto parameters = mlp_with_gradients();
  if (rank() == 1) parameters[1].grad() = xg::Array<float>::from_shape({3});  // b1 is (64)
  const std::string message = xg::testing::message_of<xg::ShapeError>([&] { xd::all_reduce_gradients(parameters, 8); });
  if (rank() == 1)
    CHECK(xg::testing::contains(message,
                                "all_reduce_gradients: the gradient of parameter 1 has shape (3,) but the "
                                "parameter has shape (64,) (on rank 1)"));
  else
    CHECK(xg::testing::contains(message, "1 other rank(s) hold a gradient that does not fit its parameter"));
}

TEST_CASE("distributed: a batch with no rows on any rank is refused") {
  const auto parameters = mlp_with_gradients();
  CHECK_THROWS_WITH_AS(xd::all_reduce_gradients(parameters, 0),
                       doctest::Contains("all_reduce_gradients: no process has a row in this batch"),
                       std::invalid_argument);
}
