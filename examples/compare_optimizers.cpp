// Trains the digits MLP (64-64-10, tanh) once with every optimizer, from the
// same initial weights and batch order, and draws their training-loss curves
// and test accuracy per epoch side by side.
//   compare_optimizers [--epochs N] [--seed N] [--out DIR]
#include <chrono>
#include <cstdio>
#include <string>
#include <vector>

#include <xgrad/plot/plot.hpp>
#include <xgrad/xgrad.hpp>

#include "support/choose.hpp"
#include "support/cli.hpp"
#include "support/evaluate.hpp"
#include "support/train.hpp"

using namespace xg;

// Each optimizer at a learning rate that suits it on this problem (a coarse
// sweep over powers of three; PyTorch's default where it was among the best).
const std::vector<std::pair<std::string, double>> contenders{
    {"SGD", 0.3},      {"Momentum", 0.03}, {"Nesterov", 0.03}, {"Adagrad", 0.05},
    {"RMSprop", 0.003}, {"Adadelta", 1.0},  {"Adam", 0.003},    {"AMSGrad", 0.003},
    {"AdamW", 0.003},   {"Adamax", 0.01},   {"NAdam", 0.003},   {"RAdam", 0.003}};

int main(int argc, char** argv) try {
  const auto flags = examples::parse_flags(argc, argv, {.epochs = 15, .out = "out/compare_optimizers"});
  manual_seed(flags.seed);
  auto [train, test] = datasets::train_test_split(datasets::load_digits(), 0.2, flags.seed, /*stratify=*/true);
  train.features /= 16.0f;
  test.features /= 16.0f;

  std::vector<plot::Series> losses, accuracies;
  std::printf("%-10s %8s %10s %14s %9s\n", "optimizer", "lr", "train loss", "test accuracy", "seconds");
  for (const auto& [name, lr] : contenders) {
    manual_seed(flags.seed);  // the same initial weights and batch order for everyone
    nn::Sequential model{nn::Linear(64, 64), nn::Tanh(), nn::Linear(64, 10)};
    auto optimizer = examples::make_optimizer(name, model.named_parameters(), lr);
    datasets::DataLoader loader(train, {.batch_size = flags.batch_size});
    plot::Series loss_curve{name, {}, {}, true}, accuracy_curve{name, {}, {}, true};
    const auto start = std::chrono::steady_clock::now();
    for (int epoch = 1; epoch <= flags.epochs; ++epoch) {
      loss_curve.x.push_back(epoch);
      loss_curve.y.push_back(examples::train_epoch(model, loader, *optimizer));
      accuracy_curve.x.push_back(epoch);
      accuracy_curve.y.push_back(examples::evaluate_accuracy(model, test.features, test.labels));
    }
    const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    std::printf("%-10s %8g %10.4f %14.3f %9.2f\n", name.c_str(), lr, loss_curve.y.back(), accuracy_curve.y.back(),
                seconds);
    losses.push_back(std::move(loss_curve));
    accuracies.push_back(std::move(accuracy_curve));
  }
  plot::write_file(flags.out + "/training_loss.svg",
                   plot::line_chart_svg(losses, {.title = "Digits MLP: training loss by optimizer", .x_label = "epoch",
                                                 .y_label = "cross-entropy (log scale)", .log_y = true}));
  plot::write_file(flags.out + "/test_accuracy.svg",
                   plot::line_chart_svg(accuracies, {.title = "Digits MLP: test accuracy by optimizer",
                                                     .x_label = "epoch", .y_label = "test accuracy"}));
  std::printf("wrote %s/training_loss.svg and %s/test_accuracy.svg\n", flags.out.c_str(), flags.out.c_str());
} catch (const std::exception& e) {
  std::fprintf(stderr, "compare_optimizers: %s\n", e.what());
  return 1;
}
