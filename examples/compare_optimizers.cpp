// Trains the digits MLP (64-64-10, tanh) once with every optimizer, from the
// same initial weights and batch order, and draws their training-loss curves
// and test accuracy per epoch side by side.
//   compare_optimizers [--epochs N] [--seed N] [--out DIR]
//   compare_optimizers --sweep [--epochs N] [--seed N]   (how the lrs below were chosen)
#include <algorithm>
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

// Each optimizer at the lr of the sweep grid with the lowest final training
// loss (`--sweep`, 15 epochs, seed 0).
const std::vector<std::pair<std::string, double>> contenders{
    {"SGD", 1.0},      {"Momentum", 0.3}, {"Nesterov", 0.3}, {"Adagrad", 0.3},
    {"RMSprop", 0.01}, {"Adadelta", 3.0}, {"Adam", 0.01},    {"AMSGrad", 0.05},
    {"AdamW", 0.03},   {"Adamax", 0.1},   {"NAdam", 0.03},   {"RAdam", 0.05}};
const std::vector<double> sweep_grid{0.001, 0.003, 0.01, 0.03, 0.05, 0.1, 0.3, 1.0, 3.0};

struct Run {
  plot::Series loss, accuracy;
  double seconds;
};

Run train(const std::string& name, double lr, const examples::TrainFlags& flags, const datasets::Dataset& train_set,
          const datasets::Dataset& test_set) {
  manual_seed(flags.seed);  // the same initial weights and batch order for everyone
  nn::Sequential model{nn::Linear(64, 64), nn::Tanh(), nn::Linear(64, 10)};
  auto optimizer = examples::make_optimizer(name, model.named_parameters(), lr);
  datasets::DataLoader loader(train_set, {.batch_size = flags.batch_size});
  Run run{{name, {}, {}, true}, {name, {}, {}, true}, 0};
  const auto start = std::chrono::steady_clock::now();
  for (int epoch = 1; epoch <= flags.epochs; ++epoch) {
    run.loss.x.push_back(epoch);
    run.loss.y.push_back(examples::train_epoch(model, loader, *optimizer));
    run.accuracy.x.push_back(epoch);
    run.accuracy.y.push_back(examples::evaluate_accuracy(model, test_set.features, test_set.labels));
  }
  run.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  return run;
}

// Prints the final training loss of every optimizer at every lr of the grid
// and the best lr of each.
void sweep(const examples::TrainFlags& flags, const datasets::Dataset& train_set, const datasets::Dataset& test_set) {
  std::printf("%-10s", "optimizer");
  for (double lr : sweep_grid) std::printf(" %8g", lr);
  std::printf("   best lr\n");
  for (const auto& [name, chosen] : contenders) {
    std::printf("%-10s", name.c_str());
    double best_loss = INFINITY, best_lr = 0;
    for (double lr : sweep_grid) {
      const double loss = train(name, lr, flags, train_set, test_set).loss.y.back();
      std::printf(" %8.4f", loss);
      if (loss < best_loss) best_loss = loss, best_lr = lr;
    }
    std::printf("   %g%s\n", best_lr, best_lr == chosen ? "" : " (differs from the table in the source)");
  }
}

int main(int argc, char** argv) try {
  std::vector<char*> args(argv, argv + argc);
  const auto sweep_flag = std::find_if(args.begin(), args.end(), [](const char* a) { return a == std::string("--sweep"); });
  const bool sweeping = sweep_flag != args.end();
  if (sweeping) args.erase(sweep_flag);
  const auto flags = examples::parse_flags(static_cast<int>(args.size()), args.data(),
                                           {.epochs = 15, .out = "out/compare_optimizers"});
  auto [train_set, test_set] = datasets::train_test_split(datasets::load_digits(), 0.2, flags.seed, /*stratify=*/true);
  train_set.features /= 16.0f;
  test_set.features /= 16.0f;
  if (sweeping) {
    sweep(flags, train_set, test_set);
    return 0;
  }

  std::vector<plot::Series> losses, accuracies;
  std::printf("%-10s %8s %10s %14s %9s\n", "optimizer", "lr", "train loss", "test accuracy", "seconds");
  for (const auto& [name, lr] : contenders) {
    auto run = train(name, lr, flags, train_set, test_set);
    std::printf("%-10s %8g %10.4f %14.3f %9.2f\n", name.c_str(), lr, run.loss.y.back(), run.accuracy.y.back(),
                run.seconds);
    losses.push_back(std::move(run.loss));
    accuracies.push_back(std::move(run.accuracy));
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
