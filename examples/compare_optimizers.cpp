// Trains the digits MLP (64-64-10, tanh) once with every optimizer, from the
// same initial weights and batch order, and draws their training-loss curves
// and test accuracy per epoch side by side.
//   compare_optimizers [--epochs N] [--seed N] [--out DIR]
//   compare_optimizers --sweep [NAME,NAME...] [--epochs N] [--seed N]
//     (how the lrs below were chosen; the names restrict it to those optimizers)
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <iterator>
#include <sstream>
#include <stdexcept>
#include <string>
#include <vector>

#include <xgrad/plot/plot.hpp>
#include <xgrad/xgrad.hpp>

#include <xgrad/examples/support/choose.hpp>
#include <xgrad/examples/support/cli.hpp>
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

struct Run {
  plot::Series loss, accuracy;
  double seconds;
};

Run train(const std::string& name, double lr, const examples::TrainFlags& flags, const datasets::Dataset& train_set,
          const datasets::Dataset& test_set) {
  manual_seed(flags.seed);  // the same initial weights and batch order for everyone
  nn::Sequential model{nn::Linear(64, 64), nn::Tanh(), nn::Linear(64, 10)};
  auto opt = examples::make_optimizer(name, model.named_parameters(), lr);
  datasets::DataLoader loader(train_set, {.batch_size = flags.batch_size});
  Run run{{name, {}, {}, true}, {name, {}, {}, true}, 0};
  const auto start = std::chrono::steady_clock::now();
  for (int epoch = 1; epoch <= flags.epochs; ++epoch) {
    double loss_sum = 0;
    for (const auto& [x, y] : loader) {
      opt->zero_grad();
      auto loss = nn::functional::cross_entropy(model(x), y);
      loss.backward();
      opt->step();
      loss_sum += loss.item() * double(y.size());
    }
    run.loss.x.push_back(epoch);
    run.loss.y.push_back(loss_sum / double(loader.num_samples()));
    run.accuracy.x.push_back(epoch);
    // Schedule-Free's training loss is taken at y, where it steps; its accuracy at x.
    examples::EvaluateAtAverage at_average(*opt);
    run.accuracy.y.push_back(examples::evaluate_accuracy(model, test_set.features, test_set.labels));
  }
  run.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  return run;
}

// Prints the final training loss of every optimizer named in `only` (all
// when it is empty) at every lr of the grid and the best lr of each.
void sweep(const std::vector<std::string>& only, const examples::TrainFlags& flags, const datasets::Dataset& train_set,
           const datasets::Dataset& test_set) {
  for (const auto& name : only)
    if (std::none_of(contenders.begin(), contenders.end(), [&](const auto& c) { return c.first == name; }))
      throw std::invalid_argument("--sweep: '" + name + "' is not one of the compared optimizers");
  std::printf("%-17s", "optimizer");
  for (double lr : sweep_grid) std::printf(" %8g", lr);
  std::printf("   best lr\n");
  for (const auto& [name, chosen] : contenders) {
    if (!only.empty() && std::find(only.begin(), only.end(), name) == only.end()) continue;
    std::printf("%-17s", name.c_str());
    double best_loss = INFINITY, best_lr = 0;
    for (double lr : sweep_grid) {
      const double loss = train(name, lr, flags, train_set, test_set).loss.y.back();
      std::printf(" %8.4f", loss);
      if (loss < best_loss) best_loss = loss, best_lr = lr;
    }
    std::printf("   %g%s\n", best_lr, best_lr == chosen ? "" : " (differs from the table in the source)");
    std::fflush(stdout);
  }
}

int main(int argc, char** argv) try {
  std::vector<char*> args(argv, argv + argc);
  const auto sweep_flag =
      std::find_if(args.begin(), args.end(), [](const char* a) { return a == std::string("--sweep"); });
  const bool sweeping = sweep_flag != args.end();
  std::vector<std::string> sweep_only;
  if (sweeping) {
    auto last = std::next(sweep_flag);
    if (last != args.end() && std::string(*last).rfind("--", 0) != 0) {
      std::stringstream names(*last++);
      for (std::string name; std::getline(names, name, ',');) sweep_only.push_back(name);
    }
    args.erase(sweep_flag, last);
  }
  const auto flags = examples::parse_flags(static_cast<int>(args.size()), args.data(),
                                           {.epochs = 15, .out = "out/compare_optimizers"});
  auto [train_set, test_set] = datasets::train_test_split(datasets::load_digits(), 0.2, flags.seed, /*stratify=*/true);
  train_set.features /= 16.0f;
  test_set.features /= 16.0f;
  if (sweeping) {
    sweep(sweep_only, flags, train_set, test_set);
    return 0;
  }

  std::vector<plot::Series> losses, accuracies;
  std::printf("%-17s %8s %10s %14s %9s\n", "optimizer", "lr", "train loss", "test accuracy", "seconds");
  for (const auto& [name, lr] : contenders) {
    auto run = train(name, lr, flags, train_set, test_set);
    std::printf("%-17s %8g %10.4f %14.3f %9.2f\n", name.c_str(), lr, run.loss.y.back(), run.accuracy.y.back(),
                run.seconds);
    losses.push_back(std::move(run.loss));
    accuracies.push_back(std::move(run.accuracy));
  }
  // Tall enough for a legend row (20 px) per optimizer, wide enough for "AdamWScheduleFree".
  const int legend_height = std::max(440, 80 + 20 * static_cast<int>(contenders.size()));
  plot::write_file(flags.out + "/training_loss.svg",
                   plot::line_chart_svg(losses, {.title = "Digits MLP: training loss by optimizer",
                                                 .x_label = "epoch",
                                                 .y_label = "cross-entropy (log scale)",
                                                 .log_y = true,
                                                 .width = 860,
                                                 .height = legend_height}));
  plot::write_file(flags.out + "/test_accuracy.svg",
                   plot::line_chart_svg(accuracies, {.title = "Digits MLP: test accuracy by optimizer",
                                                     .x_label = "epoch",
                                                     .y_label = "test accuracy",
                                                     .width = 860,
                                                     .height = legend_height}));
  std::printf("wrote %s/training_loss.svg and %s/test_accuracy.svg\n", flags.out.c_str(), flags.out.c_str());
} catch (const std::exception& e) {
  std::fprintf(stderr, "compare_optimizers: %s\n", e.what());
  return 1;
}
