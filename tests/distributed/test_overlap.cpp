// DistributedDataParallel: the all-reduce of each bucket started from the
// parameters' post-accumulate-grad hooks, within backward, averages as
// all_reduce_gradients does after it.

#include <doctest/doctest.h>

#include <stdexcept>

#include "common.hpp"

namespace {

using namespace dist_test;

// This rank's share of the first 8 x p digits: 8 rows, or none on the last
// rank when `last_rank_empty`.
struct Share {
  xg::Tensor x;
  std::vector<std::size_t> y;
};
Share share_of_digits(bool last_rank_empty) {
  const std::size_t p = static_cast<std::size_t>(world_size()), r = static_cast<std::size_t>(rank());
  const auto data = digits(8 * p);
  const std::size_t rows = last_rank_empty && r + 1 == p ? 0 : 8;
  Share s{xg::Tensor(xt::view(data.features, xt::range(8 * r, 8 * r + rows), xt::all())), {}};
  s.y.assign(data.labels.begin() + static_cast<long>(8 * r), data.labels.begin() + static_cast<long>(8 * r + rows));
  return s;
}

void backward_on(const Mlp<float>& model, const Share& s) {
  if (!s.y.empty()) xg::nn::functional::cross_entropy(model(s.x), s.y).backward();
}

}  // namespace

TEST_CASE("distributed: DistributedDataParallel's overlapped exchange averages as all_reduce_gradients does") {
  for (bool last_rank_empty : {false, true}) {
    CAPTURE(last_rank_empty);
    const Share s = share_of_digits(last_rank_empty);
    const Mlp<float> after(3), overlapped(3);
    backward_on(after, s);
    const auto reference = xd::all_reduce_gradients(after.parameters(), s.y.size());

    // 1000-byte buckets: w1, b1, w2 and b2 each start on their own, b2's first.
    xd::DistributedDataParallel<float> ddp(overlapped.parameters(), {.bucket_bytes = 1000});
    ddp.prepare_for_backward(s.y.size());
    backward_on(overlapped, s);
    const auto stats = ddp.finalize_backward();
    CHECK(stats.all_reduce_calls == 4);
    CHECK(stats.dense_bytes == reference.dense_bytes);
    for (std::size_t i = 0; i < 4; ++i) {
      CAPTURE(i);
      // A sum of two is the same bits in any order; with three ranks Open MPI's
      // non-blocking algorithm may add in another order than the blocking one.
      if (world_size() <= 2)
        CHECK(overlapped.parameters()[i].grad() == after.parameters()[i].grad());
      else
        CHECK(relative_difference(overlapped.parameters()[i].grad(), after.parameters()[i].grad()) <= 1e-6);
    }
  }
}

TEST_CASE("distributed: 200 steps with DistributedDataParallel equal one process with p times the batch") {
  const std::size_t p = static_cast<std::size_t>(world_size());
  const auto data = digits(1000);
  xg::Generator one_gen(11), shard_gen(11);
  xg::datasets::DataLoader one(data.features, data.labels, {.batch_size = 16 * p}, one_gen);
  xg::datasets::DataLoader shard(data.features, data.labels,
                                 {.batch_size = 16, .num_replicas = p, .rank = static_cast<std::size_t>(rank())},
                                 shard_gen);
  const MakeOptimizer<double> adagrad = [](std::vector<xg::Tensor64> ps) {
    return std::make_unique<xg::optim::Adagrad<double>>(std::move(ps), xg::optim::AdagradOptions{.lr = 0.1});
  };
  const auto single = train<double>(Mlp<double>(7), adagrad, one, 200, false);

  const Mlp<double> model(7);
  xd::DistributedDataParallel<double> ddp(model.parameters(), {.bucket_bytes = 4096});
  auto optimizer = adagrad(model.parameters());
  for (int step = 0; step < 200;)
    for (const auto& batch : shard) {
      optimizer->zero_grad();
      ddp.prepare_for_backward(batch.y.size());
      if (!batch.y.empty()) xg::nn::functional::cross_entropy(model(batch.x), batch.y).backward();
      ddp.finalize_backward();
      optimizer->step();
      if (++step == 200) break;
    }
  for (std::size_t i = 0; i < 4; ++i) {
    CAPTURE(i);
    CHECK(relative_difference(model.parameters()[i].value(), single.weights[i]) <= 1e-12);
  }
}

TEST_CASE("distributed: DistributedDataParallel refuses models of other sizes on other ranks, and misuse") {
  const Mlp<float> model(3);
  auto parameters = model.parameters();
  if (rank() == 0) parameters.pop_back();
  CHECK_THROWS_WITH_AS(xd::DistributedDataParallel<float>(parameters, {}),
                       doctest::Contains("the ranks hold different models: between 3 and 4 parameters"),
                       xg::ShapeError);
  xd::DistributedDataParallel<float> ddp(model.parameters());
  CHECK_THROWS_WITH_AS(ddp.finalize_backward(), doctest::Contains("finalize_backward without prepare_for_backward"),
                       std::logic_error);
  CHECK_THROWS_WITH_AS(ddp.prepare_for_backward(0), doctest::Contains("no process has a row"), std::invalid_argument);
  // A backward outside prepare ... finalize stays local: the hooks do nothing.
  const Share s = share_of_digits(false);
  backward_on(model, s);
  ddp.prepare_for_backward(s.y.size());
  CHECK_THROWS_WITH_AS(ddp.prepare_for_backward(s.y.size()), doctest::Contains("prepare_for_backward twice"),
                       std::logic_error);
  ddp.finalize_backward();
}
