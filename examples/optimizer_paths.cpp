// Runs every optimizer on classic 2-D test functions, with gradients from
// xgrad's autograd, and draws their paths over the function's contours (one
// SVG and one CSV per function), then says which ones reached the minimum.
//   optimizer_paths [--scale X] [--steps-scale X] [--out DIR]
#include <cmath>
#include <cstdio>
#include <functional>
#include <optional>
#include <sstream>
#include <string>
#include <vector>

#include <xgrad/plot/plot.hpp>
#include <xgrad/xgrad.hpp>

#include <xgrad/examples/support/choose.hpp>

using namespace xg;

// Written once for doubles (the contour grid) and tensors (the gradients).
#define TEST_FUNCTION(body) [](auto x, auto y) { return body; }

struct TestFunction {
  std::string name, title;
  std::function<double(double, double)> value;
  std::function<Tensor(Tensor, Tensor)> tensor_value;
  double x0, y0;
  plot::ContourOptions view;
  std::optional<std::array<double, 2>> minimum;
  int steps;
  // Adadelta takes 10x the adaptive lr: its steps start at sqrt(eps) * lr.
  // Momentum 0.9 multiplies SGD's steps by up to 10, so Momentum and Nesterov
  // get their own lr (at SGD's, Nesterov diverges on the ill-conditioned
  // quadratic: lr * curvature = 1.6 > 2 (1 + 0.9) / (1 + 2 * 0.9)).
  double adaptive_lr, sgd_lr, momentum_lr;
};

template <class F>
TestFunction make(std::string name, std::string title, F f, double x0, double y0, plot::ContourOptions view,
                  std::optional<std::array<double, 2>> minimum, int steps, double adaptive_lr, double sgd_lr,
                  double momentum_lr) {
  view.title = title;
  view.minimum = minimum;
  return {std::move(name), std::move(title), f, f, x0, y0, view, minimum, steps, adaptive_lr, sgd_lr, momentum_lr};
}

int main(int argc, char** argv) try {
  std::string out = "out/optimizer_paths";
  double lr_scale = 1, steps_scale = 1;
  for (int i = 1; i + 1 < argc; i += 2) {
    const std::string flag = argv[i];
    if (flag == "--out")
      out = argv[i + 1];
    else if (flag == "--scale")
      lr_scale = std::stod(argv[i + 1]);
    else if (flag == "--steps-scale")
      steps_scale = std::stod(argv[i + 1]);
    else
      throw std::invalid_argument("unknown flag " + flag + " (flags: --scale X, --steps-scale X, --out DIR)");
  }
  const std::vector<TestFunction> functions{
      make("sin_quadratic", "f(x, y) = sin x + x^2 + cos y + y^2", TEST_FUNCTION(sin(x) + x * x + cos(y) + y * y), 2, 2,
           {.x_min = -2.5, .x_max = 2.5, .y_min = -2.5, .y_max = 2.5}, std::array{-0.450184, 0.0}, 100, 0.1, 0.1, 0.1),
      make("ill_conditioned", "f(x1, x2) = 0.1 x1^2 + 2 x2^2", TEST_FUNCTION(0.1 * x * x + 2.0 * y * y), -5, -2,
           {.x_label = "x1", .y_label = "x2", .x_min = -5.5, .x_max = 1.5, .y_min = -3, .y_max = 3},
           std::array{0.0, 0.0}, 50, 0.4, 0.4, 0.1),
      make("rosenbrock", "Rosenbrock (1 - x)^2 + 100 (y - x^2)^2",
           TEST_FUNCTION((1.0 - x) * (1.0 - x) + 100.0 * (y - x * x) * (y - x * x)), -1.5, 2,
           {.x_min = -2, .x_max = 2, .y_min = -1, .y_max = 3}, std::array{1.0, 1.0}, 2000, 0.02, 5e-4, 5e-4),
      make("beale", "Beale",
           TEST_FUNCTION((1.5 - x + x * y) * (1.5 - x + x * y) + (2.25 - x + x * y * y) * (2.25 - x + x * y * y) +
                         (2.625 - x + x * y * y * y) * (2.625 - x + x * y * y * y)),
           1, 1.5, {.x_min = -0.5, .x_max = 4, .y_min = -1.5, .y_max = 2}, std::array{3.0, 0.5}, 1000, 0.02, 0.002,
           0.001),
      make("saddle", "Saddle f(x, y) = x^2 - y^2", TEST_FUNCTION(x * x - y * y), -1.5, 1e-3,
           {.x_min = -2, .x_max = 2, .y_min = -2, .y_max = 2}, std::nullopt, 60, 0.05, 0.05, 0.05)};
  // Muon is left out: it orthogonalises the update of a weight matrix, and a
  // point of the plane is not one.
  const std::vector<std::string> optimizers{"SGD",
                                            "Momentum",
                                            "Nesterov",
                                            "Adagrad",
                                            "RMSprop",
                                            "Adadelta",
                                            "Adam",
                                            "AMSGrad",
                                            "AdamW",
                                            "Adamax",
                                            "NAdam",
                                            "RAdam",
                                            "Rprop",
                                            "ASGD",
                                            "Adafactor",
                                            "Lion",
                                            "LAMB",
                                            "Yogi",
                                            "AdaBelief",
                                            "Ftrl",
                                            "Shampoo",
                                            "SGDScheduleFree",
                                            "AdamWScheduleFree",
                                            "Lookahead",
                                            "LBFGS"};

  for (const auto& fn : functions) {
    std::vector<plot::Path> paths;
    std::ostringstream csv;
    csv << "optimizer,step,x,y,f\n";
    std::printf("%s: optimizers within 0.05 of the minimum after %d steps:", fn.name.c_str(),
                static_cast<int>(fn.steps * steps_scale));
    for (const auto& name : optimizers) {
      auto x = full<float>({1}, static_cast<float>(fn.x0), true), y = full<float>({1}, static_cast<float>(fn.y0), true);
      // Steps that scale the gradient take SGD's lr (ASGD is SGD with
      // averaging), those with momentum 0.9 Momentum's; LBFGS its unit step
      // (full batch: each of its steps runs up to 20 iterations of its own).
      const double lr =
          lr_scale * (name == "SGD" || name == "ASGD"                                         ? fn.sgd_lr
                      : name == "Momentum" || name == "Nesterov" || name == "SGDScheduleFree" ? fn.momentum_lr
                      : name == "Adadelta"                                                    ? 10 * fn.adaptive_lr
                      : name == "LBFGS"                                                       ? 1.0
                                                                                              : fn.adaptive_lr);
      auto optimizer = examples::make_optimizer(name, {{"x", x}, {"y", y}}, lr);
      plot::Path path{name, {fn.x0}, {fn.y0}};
      for (int step = 1; step <= static_cast<int>(fn.steps * steps_scale); ++step) {
        optimizer->step([&] {
          optimizer->zero_grad();
          auto loss = fn.tensor_value(x, y);
          loss.backward();
          return loss.item();
        });
        examples::EvaluateAtAverage at_average(*optimizer);  // Schedule-Free's point is its average x
        path.x.push_back(x.item());
        path.y.push_back(y.item());
        csv << name << ',' << step << ',' << x.item() << ',' << y.item() << ',' << fn.value(x.item(), y.item()) << '\n';
      }
      if (fn.minimum && std::hypot(path.x.back() - (*fn.minimum)[0], path.y.back() - (*fn.minimum)[1]) < 0.05)
        std::printf(" %s", name.c_str());
      paths.push_back(std::move(path));
    }
    std::printf("\n");
    plot::write_file(out + "/" + fn.name + ".svg", plot::contour_svg(fn.value, paths, fn.view));
    plot::write_file(out + "/" + fn.name + ".csv", csv.str());
  }
  std::printf("wrote %zu SVG and CSV files to %s\n", functions.size(), out.c_str());
} catch (const std::exception& e) {
  std::fprintf(stderr, "optimizer_paths: %s\n", e.what());
  return 1;
}
