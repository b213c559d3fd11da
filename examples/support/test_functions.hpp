#pragma once
// What optimizer_paths needs besides its optimization loop: 2-D test
// functions for optimizers, each with where to start, how to draw it and the
// lr each optimizer family takes on it, and the paths of the optimizers over
// one of them, as a contour map and a CSV.
//
//   const auto fn = examples::test_function("saddle", "Saddle", [](auto x, auto y) { return x * x - y * y; },
//                                           -1.5, 1e-3, {.x_min = -2, .x_max = 2}, std::nullopt, 60, 0.05, 0.05, 0.05);
//   examples::PathLog log(fn);
//   log.start("Adam");
//   for (int step = 1; ...) { ...; log.add(step, x.item(), y.item()); }
//   log.write(out);                                        // out/saddle.svg, out/saddle.csv

#include <array>
#include <functional>
#include <optional>
#include <sstream>
#include <string>
#include <vector>

#include <xgrad/plot/plot.hpp>
#include <xgrad/xgrad.hpp>

namespace xg::examples {

// A function of two variables to minimize, for doubles and for tensors.
struct TestFunction {
  std::string name;
  std::function<double(double, double)> value;         // for the contour grid
  std::function<Tensor(Tensor, Tensor)> tensor_value;  // for the gradients
  double x0, y0;                                       // the start
  plot::ContourOptions view;                           // with the title and the minimum, if there is one
  int steps;
  double adaptive_lr, sgd_lr, momentum_lr;

  // The lr `optimizer` (a name make_optimizer takes) takes here: sgd_lr for
  // the steps that scale the gradient (SGD; ASGD is SGD with averaging);
  // momentum_lr for Momentum, Nesterov and SGDScheduleFree, whose momentum
  // 0.9 multiplies those steps by up to 10 (at SGD's, Nesterov diverges on
  // the ill-conditioned quadratic: lr * curvature = 1.6 > 2 (1 + 0.9) /
  // (1 + 2 * 0.9)); 10 x adaptive_lr for Adadelta, whose steps start at
  // sqrt(eps) * lr; 1 for LBFGS, its unit step (full batch: each of its steps
  // runs up to 20 iterations of its own); adaptive_lr for the others.
  double lr(const std::string& optimizer) const;
  // Whether (x, y) lies within `distance` of the minimum (false without one).
  bool near_minimum(double x, double y, double distance) const;
};

// `f(x, y)` is written once, for doubles and for tensors: a generic lambda.
template <class F>
TestFunction test_function(std::string name, std::string title, F f, double x0, double y0, plot::ContourOptions view,
                           std::optional<std::array<double, 2>> minimum, int steps, double adaptive_lr, double sgd_lr,
                           double momentum_lr) {
  view.title = std::move(title);
  view.minimum = minimum;
  return {std::move(name), f, f, x0, y0, std::move(view), steps, adaptive_lr, sgd_lr, momentum_lr};
}

// The optimizers' paths over one test function, each from its start, and a
// CSV of every step: "optimizer,step,x,y,f".
class PathLog {
 public:
  explicit PathLog(const TestFunction& fn);
  // Starts the path of `optimizer` at the function's start.
  const plot::Path& start(const std::string& optimizer);
  // The point after `step` of the path started last.
  void add(int step, double x, double y);
  // Writes dir/<name>.svg (the paths over the contours) and dir/<name>.csv.
  void write(const std::string& dir) const;

 private:
  const TestFunction& fn_;
  std::vector<plot::Path> paths_;
  std::ostringstream csv_;
};

}  // namespace xg::examples
