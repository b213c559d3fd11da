// Softmax (multinomial logistic) regression on Fisher's iris, standardized,
// trained with Adagrad. Copy it as the start of your own training script.
#include <cstdio>

#include <xgrad/xgrad.hpp>

#include "support/choose.hpp"
#include "support/cli.hpp"
#include "support/evaluate.hpp"
#include "support/report.hpp"
#include "support/training_loop.hpp"

using namespace xg;

int main(int argc, char** argv) try {
  const auto flags = examples::parse_flags(
      argc, argv, {.optimizer = "Adagrad", .lr = 0.1, .epochs = 50, .batch_size = 16, .seed = 0});
  manual_seed(flags.seed);

  auto [train, test] = datasets::train_test_split(datasets::load_iris(), 0.2, flags.seed, /*stratify=*/true);
  datasets::StandardScaler scaler;
  train.features = scaler.fit_transform(train.features);
  test.features = scaler.transform(test.features);

  nn::Linear model(4, 3);
  auto optimizer = examples::make_optimizer(flags.optimizer, model.named_parameters(), flags.lr);
  auto schedule = examples::make_schedule(flags.schedule, *optimizer, flags.epochs);
  datasets::DataLoader loader(train, {.batch_size = flags.batch_size});
  examples::TrainingLoop training(model, *optimizer, schedule.get(), loader, flags);
  examples::Reporter report("iris_logreg", flags.epochs, flags.out);

  for (int epoch = training.first_epoch(); epoch <= flags.epochs; ++epoch) {
    const double loss = training.run_epoch(epoch);
    examples::EvaluateAtAverage at_average(*optimizer);  // Schedule-Free: evaluated at its average x
    report.epoch({epoch, loss,
                  examples::evaluate_accuracy(model, train.features, train.labels),
                  examples::evaluate_accuracy(model, test.features, test.labels)});
  }
  training.finish();
  report.finish();
  const auto& last = report.history().back();
  std::printf("iris_logreg optimizer=%s epochs=%d train_accuracy=%.3f test_accuracy=%.3f seconds=%.2f\n",
              flags.optimizer.c_str(), flags.epochs, last.train_accuracy, last.test_accuracy, report.seconds());
} catch (const std::exception& e) {
  std::fprintf(stderr, "iris_logreg: %s\n", e.what());
  return 1;
}
