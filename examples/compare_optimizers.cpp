// Trains the digits MLP (64-64-10, tanh) once with every optimizer, from the
// same initial weights and batch order, and draws their training-loss curves
// and test accuracy per epoch side by side.
//   compare_optimizers [--epochs N] [--seed N] [--out DIR]
//   compare_optimizers --sweep [NAME,NAME...] [--epochs N] [--seed N]
//     (how the lrs below were chosen; the names restrict it to those optimizers)
#include <cstdio>
#include <string>
#include <vector>

#include <xgrad/xgrad.hpp>

#include <xgrad/examples/support/choose.hpp>
#include <xgrad/examples/support/cli.hpp>
#include <xgrad/examples/support/comparison.hpp>
#include <xgrad/examples/support/evaluate.hpp>

using namespace xg;

// Each optimizer at the lr of the sweep grid with the lowest final training
// loss (`--sweep`, 15 epochs, seed 0). LBFGS is left out: it is a full-batch
// method, and optimizer_paths shows it.
const std::vector<std::pair<std::string, double>> contenders{
    {"SGD", 1.0},      {"Momentum", 0.3}, {"Nesterov", 0.3},        {"Adagrad", 0.3},
    {"RMSprop", 0.01}, {"Adadelta", 3.0}, {"Adam", 0.01},           {"AMSGrad", 0.05},
    {"AdamW", 0.03},   {"Adamax", 0.1},   {"NAdam", 0.03},          {"RAdam", 0.05},
    {"Rprop", 0.1},    {"ASGD", 1.0},     {"Adafactor", 1.0},       {"Muon", 0.01},
    {"Lion", 0.001},   {"LAMB", 0.01},    {"Yogi", 0.05},           {"AdaBelief", 0.01},
    {"Ftrl", 0.5},     {"Shampoo", 3.0},  {"SGDScheduleFree", 3.0}, {"AdamWScheduleFree", 0.1},
    {"Lookahead", 0.1}};
const std::vector<double> sweep_grid{0.0003, 0.001, 0.003, 0.01, 0.03, 0.05, 0.1, 0.3, 0.5, 1.0, 3.0};

examples::RunCurves train(const std::string& name, double lr, const examples::TrainFlags& flags,
                          const datasets::Dataset& train_set, const datasets::Dataset& test_set) {
  manual_seed(flags.seed);  // the same initial weights and batch order for everyone
  nn::Sequential model{nn::Linear(64, 64), nn::Tanh(), nn::Linear(64, 10)};
  auto opt = examples::make_optimizer(name, model.named_parameters(), lr);
  datasets::DataLoader loader(train_set, {.batch_size = flags.batch_size});
  examples::RunCurves run(name);
  for (int epoch = 1; epoch <= flags.epochs; ++epoch) {
    double loss_sum = 0;
    for (const auto& [x, y] : loader) {
      opt->zero_grad();
      auto loss = nn::functional::cross_entropy(model(x), y);
      loss.backward();
      opt->step();
      loss_sum += loss.item() * double(y.size());
    }
    // Schedule-Free's training loss is taken at y, where it steps; its accuracy at x.
    examples::EvaluateAtAverage at_average(*opt);
    run.add_epoch(epoch, loss_sum / double(loader.num_samples()),
                  examples::evaluate_accuracy(model, test_set.features, test_set.labels));
  }
  return run;
}

int main(int argc, char** argv) try {
  const auto sweep = examples::take_list_flag(argc, argv, "--sweep");
  const auto flags = examples::parse_flags(argc, argv, {.epochs = 15, .out = "out/compare_optimizers"});
  auto [train_set, test_set] = datasets::train_test_split(datasets::load_digits(), 0.2, flags.seed, /*stratify=*/true);
  train_set.features /= 16.0f;
  test_set.features /= 16.0f;
  if (sweep) {
    examples::print_lr_sweep(contenders, sweep_grid, *sweep, [&](const std::string& name, double lr) {
      return train(name, lr, flags, train_set, test_set).loss().y.back();
    });
    return 0;
  }
  examples::Comparison comparison;
  for (const auto& [name, lr] : contenders) comparison.add(lr, train(name, lr, flags, train_set, test_set));
  comparison.write(flags.out, "Digits MLP");
} catch (const std::exception& e) {
  std::fprintf(stderr, "compare_optimizers: %s\n", e.what());
  return 1;
}
