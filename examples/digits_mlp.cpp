// A 64-64-10 tanh network on the 8x8 handwritten digits, pixels scaled to
// [0, 1], trained with Adagrad. Copy it as the start of your own script: it
// builds against the installed package (target xgrad::examples_support).
// `mpirun -np 2 digits_mlp --distributed --batch-size 16` trains it
// data-parallel and ends as one process with --batch-size 32 does.
#include <cstdio>

#include <xgrad/examples/support/checkpoints.hpp>
#include <xgrad/examples/support/choose.hpp>
#include <xgrad/examples/support/cli.hpp>
#include <xgrad/examples/support/distributed.hpp>
#include <xgrad/examples/support/evaluate.hpp>
#include <xgrad/examples/support/report.hpp>
#include <xgrad/xgrad.hpp>

using namespace xg;

int run_example(const examples::TrainFlags& flags, examples::Distributed& distributed) {
  manual_seed(flags.seed);
  auto [train, test] = datasets::train_test_split(datasets::load_digits(), 0.2, flags.seed, /*stratify=*/true);
  train.features /= 16.0f;
  test.features /= 16.0f;

  nn::Sequential model{nn::Linear(64, 64), nn::Tanh(), nn::Linear(64, 10)};
  auto opt = examples::make_optimizer(flags.optimizer, model.named_parameters(), flags.lr);
  auto schedule = examples::make_schedule(flags.schedule, *opt, flags.epochs);
  datasets::DataLoader loader(train, distributed.shard({.batch_size = flags.batch_size}));
  examples::Checkpoints checkpoints(flags, model, *opt, schedule.get(), loader, distributed.checkpoint_options());
  distributed.start(model);
  examples::Reporter report("digits_mlp", flags.epochs, flags.out);

  for (auto at = checkpoints.resume(); at.epoch <= flags.epochs;) {
    for (const auto& batch : loader) {
      // Through a closure, which LBFGS evaluates more than once.
      const double loss = opt->step([&] {
        opt->zero_grad();
        auto loss = nn::functional::cross_entropy(model(batch.x), batch.y);
        loss.backward();
        distributed.average_gradients(model, batch.y.size());
        return loss.item();
      });
      checkpoints.batch_done(at, loss, batch.y.size());
    }
    const int epoch = at.epoch;
    const double loss = checkpoints.epoch_done(at) / double(loader.num_samples());
    if (schedule) schedule->step();
    if (!distributed.reports()) continue;
    examples::EvaluateAtAverage at_average(*opt);  // Schedule-Free: evaluated at its average x
    report.epoch({epoch, loss, examples::evaluate_accuracy(model, train.features, train.labels),
                  examples::evaluate_accuracy(model, test.features, test.labels)});
  }
  distributed.print_bytes("digits_mlp");
  checkpoints.finish();
  if (!distributed.reports() || report.history().empty()) return 0;  // empty: resumed a finished run
  report.finish();
  const auto& last = report.history().back();
  std::printf("digits_mlp optimizer=%s epochs=%d train_accuracy=%.3f test_accuracy=%.3f seconds=%.2f\n",
              flags.optimizer.c_str(), flags.epochs, last.train_accuracy, last.test_accuracy, report.seconds());
  return 0;
}

int main(int argc, char** argv) {
  const auto flags =
      examples::parse_flags(argc, argv, {.optimizer = "Adagrad", .lr = 0.1, .epochs = 30, .batch_size = 32, .seed = 0});
  return examples::run("digits_mlp", argc, argv, flags, run_example);
}
