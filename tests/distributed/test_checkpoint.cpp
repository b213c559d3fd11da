// Checkpoints of a data-parallel run: rank 0 writes at step 100, every rank
// loads it into fresh objects and continues; the weights at step 200 are
// bit-identical with the uninterrupted run. Mismatched models are refused at
// broadcast time.

#include <cstdlib>
#include <filesystem>

#include <doctest/doctest.h>

#include "../exception_message.hpp"
#include "common.hpp"

namespace {

using namespace dist_test;
using xg::testing::contains;
using xg::testing::message_of;

constexpr std::size_t per_rank_batch = 16;

xg::nn::Sequential digits_model(std::size_t hidden) {
  return xg::nn::Sequential{xg::nn::Linear(64, hidden), xg::nn::Tanh(), xg::nn::Linear(hidden, 10)};
}

// Where the run's checkpoint goes: $XGRAD_DISTRIBUTED_DIR (ctest sets it), or
// the working directory.
std::string checkpoint_path() {
  const char* dir = std::getenv("XGRAD_DISTRIBUTED_DIR");
  std::filesystem::path folder = dir ? dir : ".";
  std::filesystem::create_directories(folder);
  return (folder / ("resume_np" + std::to_string(world_size()) + ".ckpt")).string();
}

struct Run {
  int save_at = -1;     // step after which rank 0 writes the checkpoint
  bool resume = false;  // starts from the checkpoint
  int stop_at = 200;
};

// The digits MLP, Adagrad, the default generator drawing both the initial
// weights and every epoch's order (so that the checkpoint holds it), trained
// data-parallel to step run.stop_at.
std::vector<xg::Array<float>> train_with_checkpoints(const Run& run, const std::string& path) {
  const auto data = digits(1000);
  xg::manual_seed(run.resume ? 99 : 5);  // a resumed run owes nothing to its own seed
  auto model = digits_model(64);
  xd::broadcast_parameters(model);
  xg::optim::Adagrad opt(model.named_parameters(), {.lr = 0.1});
  xg::datasets::DataLoader loader(data.features, data.labels,
                                  {.batch_size = per_rank_batch,
                                   .num_replicas = static_cast<std::size_t>(world_size()),
                                   .rank = static_cast<std::size_t>(rank())});

  int step = 0;
  std::size_t skip = 0;
  std::string epoch_start;
  if (run.resume) {
    const auto extra = xg::load_checkpoint(path, model, opt);
    step = static_cast<int>(extra.step);
    skip = static_cast<std::size_t>(extra.numbers.at("batches_done"));
    xg::default_generator().set_state(extra.strings.at("epoch_start_generator"));
  }
  while (step < run.stop_at) {
    epoch_start = xg::default_generator().state();
    auto batch = loader.begin();
    for (std::size_t b = 0; b < skip; ++b) ++batch;
    std::size_t done = skip;
    skip = 0;
    for (; batch != loader.end() && step < run.stop_at; ++batch) {
      opt.zero_grad();
      xg::nn::functional::cross_entropy(model(batch->x), batch->y).backward();
      xd::all_reduce_gradients(model, batch->y.size());
      opt.step();
      ++step;
      ++done;
      if (step == run.save_at && rank() == 0)
        xg::save_checkpoint(path, model, opt, nullptr,
                            {.step = step,
                             .numbers = {{"batches_done", static_cast<double>(done)}},
                             .strings = {{"epoch_start_generator", epoch_start}}});
    }
  }
  xd::barrier();  // the checkpoint is on disk before any rank reads it
  std::vector<xg::Array<float>> weights;
  for (const auto& p : model.parameters()) weights.push_back(p.value());
  return weights;
}

}  // namespace

TEST_CASE("distributed: a run resumed from rank 0's checkpoint at step 100 is bit-identical with one never stopped") {
  const std::string path = checkpoint_path();
  const auto uninterrupted = train_with_checkpoints({}, path);
  train_with_checkpoints({.save_at = 100, .stop_at = 100}, path);
  const auto resumed = train_with_checkpoints({.resume = true}, path);
  REQUIRE(resumed.size() == uninterrupted.size());
  for (std::size_t i = 0; i < resumed.size(); ++i) {
    CAPTURE(i);
    CHECK(resumed[i] == uninterrupted[i]);
  }
  CHECK(same_on_every_rank(resumed));
}

TEST_CASE("distributed: models that differ across ranks are refused at broadcast, naming the parameter and shapes") {
  REQUIRE(world_size() > 1);
  // Rank 1's hidden layer is 32 wide, everyone else's 64.
  auto model = digits_model(rank() == 1 ? 32 : 64);
  const auto before = model.parameters()[0].value();
  const std::string message = message_of<xg::ShapeError>([&] { xd::broadcast_parameters(model); });
  CHECK(contains(message,
                 "broadcast_parameters: parameter '0.weight' has shape (64, 64) on rank 0 but (32, 64) on rank 1"));
  CHECK_THROWS_AS(xd::broadcast_parameters(model), xg::ShapeError);
  CHECK(model.parameters()[0].value() == before);  // nothing copied
}
