// Softmax (multinomial logistic) regression on Fisher's iris, standardized,
// trained with Adagrad. Copy it as the start of your own training script: it
// builds against the installed package (target xgrad::examples_support).
#include <cstdio>

#include <xgrad/examples/support/checkpoints.hpp>
#include <xgrad/examples/support/choose.hpp>
#include <xgrad/examples/support/cli.hpp>
#include <xgrad/examples/support/evaluate.hpp>
#include <xgrad/examples/support/report.hpp>
#include <xgrad/xgrad.hpp>

using namespace xg;

int main(int argc, char** argv) try {
  const auto flags =
      examples::parse_flags(argc, argv, {.optimizer = "Adagrad", .lr = 0.1, .epochs = 50, .batch_size = 16, .seed = 0});
  manual_seed(flags.seed);
  auto [train, test] = datasets::train_test_split(datasets::load_iris(), 0.2, flags.seed, /*stratify=*/true);
  datasets::StandardScaler scaler;
  train.features = scaler.fit_transform(train.features);
  test.features = scaler.transform(test.features);

  nn::Linear model(4, 3);
  auto opt = examples::make_optimizer(flags.optimizer, model.named_parameters(), flags.lr);
  auto schedule = examples::make_schedule(flags.schedule, *opt, flags.epochs);
  datasets::DataLoader loader(train, {.batch_size = flags.batch_size});
  examples::Checkpoints checkpoints(flags, model, *opt, schedule.get(), loader);
  examples::Reporter report("iris_logreg", flags.epochs, flags.out);

  for (auto at = checkpoints.resume(); at.epoch <= flags.epochs;) {
    for (const auto& batch : loader) {
      // Through a closure, which LBFGS evaluates more than once.
      const double loss = opt->step([&] {
        opt->zero_grad();
        auto loss = nn::functional::cross_entropy(model(batch.x), batch.y);
        loss.backward();
        return loss.item();
      });
      checkpoints.batch_done(at, loss, batch.y.size());
    }
    const int epoch = at.epoch;
    const double loss = checkpoints.epoch_done(at) / double(loader.num_samples());
    if (schedule) schedule->step();
    examples::EvaluateAtAverage at_average(*opt);  // Schedule-Free: evaluated at its average x
    report.epoch({epoch, loss, examples::evaluate_accuracy(model, train.features, train.labels),
                  examples::evaluate_accuracy(model, test.features, test.labels)});
  }
  checkpoints.finish();
  if (report.history().empty()) return 0;  // resumed a finished run
  report.finish();
  const auto& last = report.history().back();
  std::printf("iris_logreg optimizer=%s epochs=%d train_accuracy=%.3f test_accuracy=%.3f seconds=%.2f\n",
              flags.optimizer.c_str(), flags.epochs, last.train_accuracy, last.test_accuracy, report.seconds());
} catch (const std::exception& e) {
  std::fprintf(stderr, "iris_logreg: %s\n", e.what());
  return 1;
}
