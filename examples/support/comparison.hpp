#pragma once
// Optimizers compared on one training problem (compare_optimizers): each
// run's curves, a table row per run as it ends, the two charts of all runs,
// and the lr grid search behind the lrs compared.
//
//   examples::Comparison comparison;                       // prints the table's header
//   for (const auto& [name, lr] : optimizers) {
//     examples::RunCurves run(name);
//     for (int epoch = 1; ...) { ...; run.add_epoch(epoch, train_loss, test_accuracy); }
//     comparison.add(lr, std::move(run));                  // prints its row
//   }
//   comparison.write(out, "Digits MLP");                   // training_loss.svg, test_accuracy.svg

#include <chrono>
#include <functional>
#include <string>
#include <utility>
#include <vector>

#include <xgrad/plot/plot.hpp>

namespace xg::examples {

// One run's training loss and test accuracy per epoch, labelled with its
// name, and the seconds from its construction to the last epoch added.
class RunCurves {
 public:
  explicit RunCurves(const std::string& name);
  void add_epoch(int epoch, double train_loss, double test_accuracy);
  const plot::Series& loss() const { return loss_; }
  const plot::Series& accuracy() const { return accuracy_; }
  double seconds() const { return seconds_; }

 private:
  plot::Series loss_, accuracy_;
  std::chrono::steady_clock::time_point start_;
  double seconds_ = 0;
};

class Comparison {
 public:
  // Prints the table's header: optimizer, lr, train loss, test accuracy, seconds.
  Comparison();
  // Prints the run's row, with its last epoch's numbers, and keeps its curves.
  void add(double lr, RunCurves run);
  // Writes dir/training_loss.svg and dir/test_accuracy.svg, every run's
  // curve titled "<problem>: training loss by optimizer" and so on, and
  // prints "wrote ..." naming both.
  void write(const std::string& dir, const std::string& problem) const;

 private:
  std::vector<RunCurves> runs_;
};

// For each (name, lr in use) of `optimizers` named in `only` (all when it is
// empty), prints `final_loss(name, lr)` at every lr of `grid` and the lr of
// the lowest, noting when that is not the lr in use. Throws
// std::invalid_argument for a name in `only` that is not in `optimizers`.
void print_lr_sweep(const std::vector<std::pair<std::string, double>>& optimizers, const std::vector<double>& grid,
                    const std::vector<std::string>& only,
                    const std::function<double(const std::string& name, double lr)>& final_loss);

}  // namespace xg::examples
