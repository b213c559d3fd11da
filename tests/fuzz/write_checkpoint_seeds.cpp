// Writes the valid checkpoints of the checkpoint fuzz target's seed corpus,
// saved from the objects the target loads into, so that the fuzzer starts
// from inputs that pass every check and mutates them from there:
//
//   write_checkpoint_seeds tests/fuzz/corpus/checkpoint_reader
//
// Run it again when the checkpoint format or the objects change.
#include <cstdio>
#include <string>
#include <vector>

#include <xgrad/xgrad.hpp>

#include "checkpoint_objects.hpp"

namespace {

void train_steps(xg::fuzz::CheckpointObjects& objects, int steps) {
  for (int s = 0; s < steps; ++s) {
    auto x = xg::randn({8, 3});
    auto loss = xg::nn::functional::cross_entropy(objects.model(x), std::vector<std::size_t>{0, 1, 1, 0, 1, 0, 0, 1});
    objects.optimizer.zero_grad();
    loss.backward();
    objects.optimizer.step();
    objects.scheduler.step();
  }
}

}  // namespace

int main(int argc, char** argv) try {
  if (argc != 2) {
    std::fprintf(stderr, "usage: write_checkpoint_seeds DIRECTORY\n");
    return 2;
  }
  const std::string dir = argv[1];
  xg::manual_seed(0);
  xg::fuzz::CheckpointObjects objects;
  // Before any step: empty optimizer state, no schedule.
  xg::save_checkpoint(dir + "/valid_checkpoint_fresh", objects.model, objects.optimizer);
  // Mid-epoch, as the examples' training loop writes them.
  train_steps(objects, 4);
  const std::string epoch_start = xg::default_generator().state();
  train_steps(objects, 3);
  xg::save_checkpoint(dir + "/valid_checkpoint_mid_epoch", objects.model, objects.optimizer, &objects.scheduler,
                      {.epoch = 2,
                       .step = 7,
                       .numbers = {{"batches_done", 3}, {"loss_sum", 5.5}},
                       .strings = {{"epoch_start_generator", epoch_start}}});
  // Another model and optimizer: valid as a file, refused by the target's objects.
  xg::nn::Linear other(2, 2);
  xg::optim::SGD<float> sgd(other.named_parameters(), {.lr = 0.1, .momentum = 0.9});
  xg::save_checkpoint(dir + "/valid_checkpoint_other_model", other, sgd, nullptr, {.epoch = 1, .step = 1});
} catch (const std::exception& e) {
  std::fprintf(stderr, "write_checkpoint_seeds: %s\n", e.what());
  return 1;
}
