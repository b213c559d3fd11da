#pragma once
// Per-epoch reporting shared by the examples: a progress bar on a terminal,
// plain lines otherwise; metrics.csv, loss.svg and accuracy.svg in the output folder.

#include <chrono>
#include <string>
#include <vector>

namespace xg::examples {

struct EpochMetrics {
  int epoch;
  double train_loss;
  double train_accuracy;
  double test_accuracy;
};

class Reporter {
 public:
  Reporter(std::string name, int epochs, std::string out_dir);
  void epoch(const EpochMetrics& m);
  // Writes metrics.csv, loss.svg and accuracy.svg (when an output folder was given).
  void finish() const;
  double seconds() const;
  const std::vector<EpochMetrics>& history() const { return history_; }
  const EpochMetrics& last() const { return history_.back(); }  // the last epoch reported; history() not empty

 private:
  std::string name_;
  int epochs_;
  std::string out_dir_;
  bool terminal_;
  std::vector<EpochMetrics> history_;
  std::chrono::steady_clock::time_point start_;
};

}  // namespace xg::examples
