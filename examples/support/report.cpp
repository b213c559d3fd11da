#include "report.hpp"

#include <unistd.h>

#include <cstdio>
#include <sstream>

#include <xgrad/plot/plot.hpp>

namespace xg::examples {

Reporter::Reporter(std::string name, int epochs, std::string out_dir)
    : name_(std::move(name)),
      epochs_(epochs),
      out_dir_(std::move(out_dir)),
      terminal_(isatty(fileno(stdout)) != 0),
      start_(std::chrono::steady_clock::now()) {}

double Reporter::seconds() const {
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - start_).count();
}

void Reporter::epoch(const EpochMetrics& m) {
  history_.push_back(m);
  if (terminal_) {
    const int width = 30, done = width * m.epoch / epochs_;
    std::printf("\r%s [%s%s] epoch %d/%d  loss %.4f  train %.3f  test %.3f", name_.c_str(),
                std::string(static_cast<std::size_t>(done), '#').c_str(),
                std::string(static_cast<std::size_t>(width - done), '.').c_str(), m.epoch, epochs_, m.train_loss,
                m.train_accuracy, m.test_accuracy);
    if (m.epoch == epochs_) std::printf("\n");
    std::fflush(stdout);
  } else {
    std::printf("epoch %d/%d loss=%.4f train_accuracy=%.4f test_accuracy=%.4f\n", m.epoch, epochs_, m.train_loss,
                m.train_accuracy, m.test_accuracy);
  }
}

void Reporter::finish() const {
  if (out_dir_.empty()) return;
  std::ostringstream csv;
  csv << "epoch,train_loss,train_accuracy,test_accuracy\n";
  plot::Series loss{"train loss", {}, {}, true}, train{"train accuracy", {}, {}, true},
      test{"test accuracy", {}, {}, true};
  for (const auto& m : history_) {
    csv << m.epoch << ',' << m.train_loss << ',' << m.train_accuracy << ',' << m.test_accuracy << '\n';
    loss.x.push_back(m.epoch);
    loss.y.push_back(m.train_loss);
    train.x.push_back(m.epoch);
    train.y.push_back(m.train_accuracy);
    test.x.push_back(m.epoch);
    test.y.push_back(m.test_accuracy);
  }
  plot::write_file(out_dir_ + "/metrics.csv", csv.str());
  plot::write_file(out_dir_ + "/loss.svg", plot::line_chart_svg({loss}, {.title = name_ + ": training loss",
                                                                         .x_label = "epoch",
                                                                         .y_label = "cross-entropy (log scale)",
                                                                         .log_y = true}));
  plot::write_file(
      out_dir_ + "/accuracy.svg",
      plot::line_chart_svg({train, test}, {.title = name_ + ": accuracy", .x_label = "epoch", .y_label = "accuracy"}));
}

}  // namespace xg::examples
