#include "comparison.hpp"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <stdexcept>

#include "pictures.hpp"

namespace xg::examples {

RunCurves::RunCurves(const std::string& name)
    : loss_{name, {}, {}, true}, accuracy_{name, {}, {}, true}, start_(std::chrono::steady_clock::now()) {}

void RunCurves::add_epoch(int epoch, double train_loss, double test_accuracy) {
  add_point(loss_, epoch, train_loss);
  add_point(accuracy_, epoch, test_accuracy);
  seconds_ = std::chrono::duration<double>(std::chrono::steady_clock::now() - start_).count();
}

Comparison::Comparison() {
  std::printf("%-17s %8s %10s %14s %9s\n", "optimizer", "lr", "train loss", "test accuracy", "seconds");
}

void Comparison::add(double lr, RunCurves run) {
  std::printf("%-17s %8g %10.4f %14.3f %9.2f\n", run.loss().label.c_str(), lr, run.loss().y.back(),
              run.accuracy().y.back(), run.seconds());
  runs_.push_back(std::move(run));
}

void Comparison::write(const std::string& dir, const std::string& problem) const {
  std::vector<plot::Series> losses, accuracies;
  for (const auto& run : runs_) losses.push_back(run.loss()), accuracies.push_back(run.accuracy());
  // Tall enough for a legend row (20 px) per run, wide enough for "AdamWScheduleFree".
  const int height = std::max(440, 80 + 20 * static_cast<int>(runs_.size()));
  plot::write_file(dir + "/training_loss.svg",
                   plot::line_chart_svg(losses, {.title = problem + ": training loss by optimizer",
                                                 .x_label = "epoch",
                                                 .y_label = "cross-entropy (log scale)",
                                                 .log_y = true,
                                                 .width = 860,
                                                 .height = height}));
  plot::write_file(dir + "/test_accuracy.svg",
                   plot::line_chart_svg(accuracies, {.title = problem + ": test accuracy by optimizer",
                                                     .x_label = "epoch",
                                                     .y_label = "test accuracy",
                                                     .width = 860,
                                                     .height = height}));
  std::printf("wrote %s/training_loss.svg and %s/test_accuracy.svg\n", dir.c_str(), dir.c_str());
}

void print_lr_sweep(const std::vector<std::pair<std::string, double>>& optimizers, const std::vector<double>& grid,
                    const std::vector<std::string>& only,
                    const std::function<double(const std::string& name, double lr)>& final_loss) {
  for (const auto& name : only)
    if (std::none_of(optimizers.begin(), optimizers.end(), [&](const auto& o) { return o.first == name; }))
      throw std::invalid_argument("--sweep: '" + name + "' is not one of the compared optimizers");
  std::printf("%-17s", "optimizer");
  for (double lr : grid) std::printf(" %8g", lr);
  std::printf("   best lr\n");
  for (const auto& [name, chosen] : optimizers) {
    if (!only.empty() && std::find(only.begin(), only.end(), name) == only.end()) continue;
    std::printf("%-17s", name.c_str());
    double best_loss = INFINITY, best_lr = 0;
    for (double lr : grid) {
      const double loss = final_loss(name, lr);
      std::printf(" %8.4f", loss);
      if (loss < best_loss) best_loss = loss, best_lr = lr;
    }
    std::printf("   %g%s\n", best_lr, best_lr == chosen ? "" : " (differs from the table in the source)");
    std::fflush(stdout);
  }
}

}  // namespace xg::examples
