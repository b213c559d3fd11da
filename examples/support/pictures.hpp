#pragma once
// Around xgrad::plot, for the picture programs (lr_schedules, and through
// comparison.hpp and test_functions.hpp compare_optimizers and
// optimizer_paths): points added one at a time, a chart written to the output
// folder with a line saying so, the lr a schedule sets step by step and the
// lr an adaptive optimizer takes per coordinate.
//
//   plot::Series loss{"Adam", {}, {}};
//   for (...) examples::add_point(loss, epoch, value);
//   examples::write_output(out, "loss.svg", plot::line_chart_svg({loss}, {...}));

#include <cmath>
#include <deque>
#include <functional>
#include <string>
#include <vector>

#include <xgrad/plot/plot.hpp>
#include <xgrad/xgrad.hpp>

namespace xg::examples {

// Appends the point (x, y) to a chart's series or an optimizer's path.
void add_point(plot::Series& series, double x, double y);
void add_point(plot::Path& path, double x, double y);

// Writes `text` to dir/file, creating the folder, and prints "wrote dir/file".
void write_output(const std::string& dir, const std::string& file, const std::string& text);

// To draw schedules side by side. A schedule refers to the optimizer whose lr
// it sets, so each gets an SGD of its own, sgd(), with lr 0.1 and momentum 0.9
// (for the schedules that cycle momentum), kept as long as the SgdPerSchedule;
// lr_trace steps the schedule and records the lr it sets at each of the
// steps 0 to `steps`:
//
//   examples::SgdPerSchedule sgd;
//   optim::StepLR step(sgd(), {.step_size = 30});
//   plot::Series lrs = examples::lr_trace("StepLR", step, 120);
class SgdPerSchedule {
 public:
  optim::OptimizerBase& operator()();

 private:
  std::deque<optim::SGD<float>> kept_;  // a deque never moves them
};
plot::Series lr_trace(const std::string& label, optim::LRScheduler& schedule, long steps);

// The step an adaptive optimizer takes per coordinate, lr / (sqrt(a) + eps)
// for each element a of its accumulator `state` (Adagrad's "sum", RMSprop's
// "square_avg"), after each of `steps` steps on one parameter whose gradient
// at step t is gradient(t): a series per element, labelled labels[i] and
// appended to `lrs`.
template <class Optimizer>
void add_effective_lrs(std::vector<plot::Series>& lrs, const std::vector<std::string>& labels, const char* state,
                       double lr, double eps, long steps, const std::function<Array<float>(long)>& gradient) {
  auto w = zeros({labels.size()}, true);
  Optimizer opt(std::vector<Tensor>{w}, {.lr = lr});
  const std::size_t first = lrs.size();
  for (const auto& label : labels) lrs.push_back({label, {}, {}});
  for (long t = 1; t <= steps; ++t) {
    w.grad() = gradient(t);
    opt.step();
    for (std::size_t i = 0; i < labels.size(); ++i)
      add_point(lrs[first + i], static_cast<double>(t), lr / (std::sqrt(opt.state(w, state)(i)) + eps));
  }
}

}  // namespace xg::examples
