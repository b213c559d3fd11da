// A 64-64-10 tanh network on the 8x8 handwritten digits, pixels scaled to
// [0, 1], trained with Adagrad. Copy it as the start of your own script.
// `mpirun -np 2 digits_mlp --distributed --batch-size 16` trains it
// data-parallel and ends as one process with --batch-size 32 does.
#include <cstdio>

#include <xgrad/xgrad.hpp>

#include "support/choose.hpp"
#include "support/cli.hpp"
#include "support/distributed.hpp"
#include "support/evaluate.hpp"
#include "support/report.hpp"
#include "support/training_loop.hpp"

using namespace xg;

int run_example(const examples::TrainFlags& flags, examples::Distributed& distributed) {
  manual_seed(flags.seed);

  auto [train, test] = datasets::train_test_split(datasets::load_digits(), 0.2, flags.seed, /*stratify=*/true);
  train.features /= 16.0f;
  test.features /= 16.0f;

  nn::Sequential model{nn::Linear(64, 64), nn::Tanh(), nn::Linear(64, 10)};
  auto optimizer = examples::make_optimizer(flags.optimizer, model.named_parameters(), flags.lr);
  auto schedule = examples::make_schedule(flags.schedule, *optimizer, flags.epochs);
  datasets::DataLoader loader(train, distributed.shard({.batch_size = flags.batch_size}));
  examples::TrainingLoop training(model, *optimizer, schedule.get(), loader, flags);
  distributed.start(model, training);
  examples::Reporter report("digits_mlp", flags.epochs, flags.out);

  for (int epoch = training.first_epoch(); epoch <= flags.epochs; ++epoch) {
    const double loss = distributed.epoch_loss(training.run_epoch(epoch));
    if (!distributed.reports()) continue;
    examples::EvaluateAtAverage at_average(*optimizer);  // Schedule-Free: evaluated at its average x
    report.epoch({epoch, loss,
                  examples::evaluate_accuracy(model, train.features, train.labels),
                  examples::evaluate_accuracy(model, test.features, test.labels)});
  }
  distributed.print_bytes("digits_mlp");
  if (!distributed.reports()) return 0;
  training.finish();
  report.finish();
  const auto& last = report.history().back();
  std::printf("digits_mlp optimizer=%s epochs=%d train_accuracy=%.3f test_accuracy=%.3f seconds=%.2f\n",
              flags.optimizer.c_str(), flags.epochs, last.train_accuracy, last.test_accuracy, report.seconds());
  return 0;
}

int main(int argc, char** argv) {
  const auto flags = examples::parse_flags(
      argc, argv, {.optimizer = "Adagrad", .lr = 0.1, .epochs = 30, .batch_size = 32, .seed = 0});
  return examples::run("digits_mlp", argc, argv, flags, run_example);
}
