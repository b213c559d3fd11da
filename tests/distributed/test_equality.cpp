// Data-parallel training equals one process on the global batch: p ranks with
// per-rank batch b against one process with batch p x b, same data, same
// initial weights, 200 steps, so several epochs and their last partial
// batches. Run with 2 ranks (global batch 32) and with 3 (global batch 48):
// on 1000 digits the last batch is 8 (4/4) and 40 (13/13/14); on 961 digits
// it is one sample, so some ranks get none; on the 3000 sentences 24 (12/12
// and 8/8/8).

#include <doctest/doctest.h>

#include "common.hpp"

namespace {

using namespace dist_test;
namespace optim = xg::optim;

constexpr int steps = 200;
constexpr std::size_t per_rank_batch = 16;

// float64 within 1e-12 relative after 200 steps (issue #19). float32 within
// 1e-6 after one step (1.3e-7 seen): one process sums a gradient's 32 rows in
// one sgemm where p ranks sum 32/p rows each and then add the p sums.
// Adagrad's and Adadelta's first steps, about lr x sign(g), turn that
// rounding in small gradients into whole steps, so after 200 steps the
// float32 weights differ by more than 1e-6: the MLP is held to the floor one
// process shows when only its summation order changes (below); the bag of
// words, within 1e-6 with 2 ranks and 3.3e-6 (Adadelta) with 3, to 2e-5.
template <class S, template <class> class Model, class Loader, class Data>
void check_equal_to_one_process(const MakeOptimizer<S>& make_optimizer, const Data& features,
                                const std::vector<std::size_t>& labels, bool expect_sparse, int steps,
                                double tolerance) {
  const std::size_t p = static_cast<std::size_t>(world_size());
  xg::Generator one_gen(11), shard_gen(11);
  Loader one(features, labels, {.batch_size = p * per_rank_batch}, one_gen);
  Loader shard(features, labels,
               {.batch_size = per_rank_batch, .num_replicas = p, .rank = static_cast<std::size_t>(rank())}, shard_gen);
  REQUIRE(one.size() == shard.size());
  const auto single = train<S>(Model<S>(7), make_optimizer, one, steps, false);
  const auto parallel = train<S>(Model<S>(7), make_optimizer, shard, steps, true);
  for (std::size_t i = 0; i < single.weights.size(); ++i) {
    CAPTURE(steps);
    CAPTURE(i);
    CHECK(relative_difference(parallel.weights[i], single.weights[i]) <= tolerance);
  }
  CHECK(same_on_every_rank(parallel.weights));
  CHECK(parallel.saw_sparse_exchange == expect_sparse);
}

template <class S, template <class> class Model, class Loader, class Data>
void check_equal_to_one_process(const MakeOptimizer<S>& make_optimizer, const Data& features,
                                const std::vector<std::size_t>& labels, bool expect_sparse) {
  if constexpr (std::is_same_v<S, float>) {
    check_equal_to_one_process<S, Model, Loader>(make_optimizer, features, labels, expect_sparse, 1, 1e-6);
    check_equal_to_one_process<S, Model, Loader>(make_optimizer, features, labels, expect_sparse, steps, 2e-5);
  } else {
    check_equal_to_one_process<S, Model, Loader>(make_optimizer, features, labels, expect_sparse, steps, 1e-12);
  }
}

// One process taking the distributed run's steps with the distributed
// summation order: each step, every rank's share of the global batch (the
// sharded loaders of all p ranks, side by side) gets its own backward, and
// the gradients are weighted by rows / global rows in double, rounded once,
// and added in the order of the ranks in `order` (rank order when empty):
// the arithmetic all_reduce_gradients and MPI_Allreduce do across processes,
// written out here in one process.
template <class S>
Trained<S> train_with_summation_of_p_ranks(const Mlp<S>& model, const MakeOptimizer<S>& make_optimizer,
                                           const xg::datasets::Dataset& data, std::size_t p, int steps,
                                           std::vector<std::size_t> order = {}) {
  if (order.empty())
    for (std::size_t r = 0; r < p; ++r) order.push_back(r);
  std::vector<std::unique_ptr<xg::Generator>> gens;
  std::vector<xg::datasets::DataLoader> shards;
  for (std::size_t r = 0; r < p; ++r) {
    gens.push_back(std::make_unique<xg::Generator>(11));
    shards.emplace_back(data.features, data.labels,
                        xg::datasets::DataLoaderOptions{.batch_size = per_rank_batch, .num_replicas = p, .rank = r},
                        *gens.back());
  }
  const auto parameters = model.parameters();
  auto optimizer = make_optimizer(parameters);
  for (int step = 0; step < steps;) {
    std::vector<xg::datasets::DataLoader::Iterator> at;
    for (auto& shard : shards) at.push_back(shard.begin());
    for (; at[0] != std::default_sentinel && step < steps; ++step) {
      std::size_t global_rows = 0;
      for (const auto& it : at) global_rows += it->y.size();
      std::vector<xg::Array<S>> sum;
      for (const auto& p : parameters) sum.push_back(xt::zeros<S>(p.shape()));
      for (std::size_t r : order) {
        auto& it = at[r];
        const double weight = static_cast<double>(it->y.size()) / static_cast<double>(global_rows);
        optimizer->zero_grad(/*set_to_none=*/true);
        if (!it->y.empty()) xg::nn::functional::cross_entropy(model(it->x), it->y).backward();
        for (std::size_t i = 0; i < parameters.size(); ++i) {
          if (!parameters[i].has_grad()) continue;
          const auto& g = parameters[i].grad();
          for (std::size_t k = 0; k < g.size(); ++k)
            sum[i].data()[k] += static_cast<S>(static_cast<double>(g.data()[k]) * weight);
        }
        ++it;
      }
      for (std::size_t i = 0; i < parameters.size(); ++i) parameters[i].grad() = sum[i];
      optimizer->step();
    }
  }
  Trained<S> out;
  for (const auto& p : parameters) out.weights.push_back(p.value());
  return out;
}

template <template <class> class Optimizer, class S, class Options>
MakeOptimizer<S> optimizer_with(Options options) {
  return
      [options](std::vector<xg::BasicTensor<S>> ps) { return std::make_unique<Optimizer<S>>(std::move(ps), options); };
}

// float32 after 200 steps, the MLP: the distributed run differs from one
// process on the global batch by what one process differs from itself when
// it only sums the same batch as the ranks do (one backward per rank's
// share, the shares added in one of the orders MPI may add them: for three
// ranks (g0 + g1) + g2, g0 + (g1 + g2) or (g0 + g2) + g1), measured here, the
// largest of those differences. Seen (Adagrad, 1000 digits): 2 ranks 4.1e-6
// both, and the distributed run is that single-process run bit for bit; 3
// ranks 1.8e-5 distributed, 8.2e-5 for the rank-order single process with
// OpenBLAS's SkylakeX kernels, but 4.6e-5 against 6.3e-6 for rank order
// alone with its Prescott kernels (a CPU it does not recognize), which is
// why every order is measured. Open MPI's ring allreduce adds each segment of
// a gradient in another of those orders, so the distributed run is a mixture
// of them, and 200 chaotic steps magnify equal perturbations unequally: with
// the Prescott kernels its difference was about 4 times the largest
// single-order one. A different computation (a wrong weight, a lost rank's
// share) differs by orders of magnitude more, which the bound of 10 still
// catches.
// 1e-6 after 200 steps would need one process's sgemm order over 32 rows:
// no data-parallel run has it, so this is the float32 floor.
void digits_mlp_float32_within_the_reordering_floor(const xg::datasets::Dataset& data) {
  const std::size_t p = static_cast<std::size_t>(world_size());
  const auto adagrad = optimizer_with<optim::Adagrad, float>(optim::AdagradOptions{.lr = 0.1});
  xg::Generator one_gen(11), shard_gen(11);
  xg::datasets::DataLoader one(data.features, data.labels, {.batch_size = p * per_rank_batch}, one_gen);
  xg::datasets::DataLoader shard(
      data.features, data.labels,
      {.batch_size = per_rank_batch, .num_replicas = p, .rank = static_cast<std::size_t>(rank())}, shard_gen);
  const auto single = train<float>(Mlp<float>(7), adagrad, one, steps, false);
  const auto parallel = train<float>(Mlp<float>(7), adagrad, shard, steps, true);
  const auto reordered = train_with_summation_of_p_ranks<float>(Mlp<float>(7), adagrad, data, p, steps);
  std::vector<Trained<float>> other_orders;
  std::vector<std::size_t> reversed(p), swapped(p);
  for (std::size_t r = 0; r < p; ++r) reversed[r] = p - 1 - r, swapped[r] = r;
  other_orders.push_back(train_with_summation_of_p_ranks<float>(Mlp<float>(7), adagrad, data, p, steps, reversed));
  if (p >= 3) {
    std::swap(swapped[1], swapped[2]);
    other_orders.push_back(train_with_summation_of_p_ranks<float>(Mlp<float>(7), adagrad, data, p, steps, swapped));
  }
  for (std::size_t i = 0; i < single.weights.size(); ++i) {
    CAPTURE(i);
    double floor = relative_difference(reordered.weights[i], single.weights[i]);
    for (const auto& other : other_orders)
      floor = std::max(floor, relative_difference(other.weights[i], single.weights[i]));
    const double distributed = relative_difference(parallel.weights[i], single.weights[i]);
    CAPTURE(floor);
    CAPTURE(distributed);
    CHECK(floor <= 2e-4);  // rounding magnified, not a different computation
    CHECK(distributed <= 10 * floor);
    // Two ranks' sums are added the same way by MPI and by the reordered run.
    if (p == 2) CHECK(parallel.weights[i] == reordered.weights[i]);
  }
  CHECK(same_on_every_rank(parallel.weights));
}

template <class S>
void digits_mlp_equals_one_process(std::size_t rows) {
  const auto data = digits(rows);
  const auto adagrad = optimizer_with<optim::Adagrad, S>(optim::AdagradOptions{.lr = 0.1});
  if constexpr (std::is_same_v<S, float>) {
    check_equal_to_one_process<S, Mlp, xg::datasets::DataLoader>(adagrad, data.features, data.labels, false, 1, 1e-6);
    digits_mlp_float32_within_the_reordering_floor(data);
  } else {
    check_equal_to_one_process<S, Mlp, xg::datasets::DataLoader>(adagrad, data.features, data.labels, false);
  }
}

// Every optimizer's exchange stays row-sparse (Adagrad, RMSprop, Adadelta and
// Ftrl update the rows exactly); Adam's step then densifies
// the averaged rows.
template <class S>
void bag_of_words_equals_one_process(const MakeOptimizer<S>& make_optimizer) {
  const auto& s = sentences();
  check_equal_to_one_process<S, BagOfWordsModel, xg::datasets::CsrDataLoader>(make_optimizer, s.counts, s.labels,
                                                                              /*expect_sparse=*/true);
}

template <class S>
void bag_of_words_with_every_optimizer() {
  SUBCASE("Adagrad, exact row updates") {
    bag_of_words_equals_one_process<S>(optimizer_with<optim::Adagrad, S>(optim::AdagradOptions{.lr = 0.1}));
  }
  SUBCASE("RMSprop, exact row updates") {
    bag_of_words_equals_one_process<S>(optimizer_with<optim::RMSprop, S>(optim::RMSpropOptions{.lr = 0.01}));
  }
  SUBCASE("Adadelta, exact row updates") {
    bag_of_words_equals_one_process<S>(optimizer_with<optim::Adadelta, S>(optim::AdadeltaOptions{.lr = 1.0}));
  }
  SUBCASE("Ftrl, exact row updates") {
    bag_of_words_equals_one_process<S>(optimizer_with<optim::Ftrl, S>(optim::FtrlOptions{.lr = 1.0, .l1 = 1e-3}));
  }
  SUBCASE("Adam, densified") {
    bag_of_words_equals_one_process<S>(optimizer_with<optim::Adam, S>(optim::AdamOptions{.lr = 0.01}));
  }
}

}  // namespace

TEST_CASE("distributed: digits MLP over p ranks equals one process with p times the batch (float32)") {
  digits_mlp_equals_one_process<float>(1000);
}
TEST_CASE("distributed: digits MLP over p ranks equals one process with p times the batch (float64)") {
  digits_mlp_equals_one_process<double>(1000);
}
TEST_CASE("distributed: a last batch of one sample leaves ranks without rows, still equal to one process") {
  digits_mlp_equals_one_process<float>(961);
  digits_mlp_equals_one_process<double>(961);
}
TEST_CASE("distributed: bag of words, row-sparse exchange, equals one process (float32)") {
  bag_of_words_with_every_optimizer<float>();
}
TEST_CASE("distributed: bag of words, row-sparse exchange, equals one process (float64)") {
  bag_of_words_with_every_optimizer<double>();
}
