// Runs every optimizer on classic 2-D test functions, with gradients from
// xgrad's autograd, and draws their paths over the function's contours (one
// SVG and one CSV per function), then says which ones reached the minimum.
//   optimizer_paths [--scale X] [--steps-scale X] [--out DIR]
#include <cstdio>
#include <sstream>
#include <string>
#include <vector>

#include <xgrad/xgrad.hpp>

#include <xgrad/examples/support/choose.hpp>
#include <xgrad/examples/support/cli.hpp>
#include <xgrad/examples/support/test_functions.hpp>

using namespace xg;
using examples::test_function;

// Written once for doubles (the contour grid) and tensors (the gradients).
#define TEST_FUNCTION(body) [](auto x, auto y) { return body; }

// Muon is left out: it orthogonalises the update of a weight matrix, and a
// point of the plane is not one.
const std::string optimizers =
    "SGD Momentum Nesterov Adagrad RMSprop Adadelta Adam AMSGrad AdamW Adamax NAdam RAdam Rprop ASGD Adafactor Lion "
    "LAMB Yogi AdaBelief Ftrl Shampoo SGDScheduleFree AdamWScheduleFree Lookahead LBFGS";

int main(int argc, char** argv) try {
  const auto flags = examples::parse_flag_values(
      argc, argv, {{"--out", "out/optimizer_paths"}, {"--scale", "1"}, {"--steps-scale", "1"}});
  const double lr_scale = std::stod(flags.at("--scale")), steps_scale = std::stod(flags.at("--steps-scale"));
  // Each with its start, view, minimum, steps and lrs: adaptive, SGD's and
  // Momentum's (TestFunction::lr says which optimizer takes which).
  const std::vector<examples::TestFunction> functions{
      test_function(
          "sin_quadratic", "f(x, y) = sin x + x^2 + cos y + y^2", TEST_FUNCTION(sin(x) + x * x + cos(y) + y * y), 2, 2,
          {.x_min = -2.5, .x_max = 2.5, .y_min = -2.5, .y_max = 2.5}, std::array{-0.450184, 0.0}, 100, 0.1, 0.1, 0.1),
      test_function("ill_conditioned", "f(x1, x2) = 0.1 x1^2 + 2 x2^2", TEST_FUNCTION(0.1 * x * x + 2.0 * y * y), -5,
                    -2, {.x_label = "x1", .y_label = "x2", .x_min = -5.5, .x_max = 1.5, .y_min = -3, .y_max = 3},
                    std::array{0.0, 0.0}, 50, 0.4, 0.4, 0.1),
      test_function("rosenbrock", "Rosenbrock (1 - x)^2 + 100 (y - x^2)^2",
                    TEST_FUNCTION((1.0 - x) * (1.0 - x) + 100.0 * (y - x * x) * (y - x * x)), -1.5, 2,
                    {.x_min = -2, .x_max = 2, .y_min = -1, .y_max = 3}, std::array{1.0, 1.0}, 2000, 0.02, 5e-4, 5e-4),
      test_function(
          "beale", "Beale",
          TEST_FUNCTION((1.5 - x + x * y) * (1.5 - x + x * y) + (2.25 - x + x * y * y) * (2.25 - x + x * y * y) +
                        (2.625 - x + x * y * y * y) * (2.625 - x + x * y * y * y)),
          1, 1.5, {.x_min = -0.5, .x_max = 4, .y_min = -1.5, .y_max = 2}, std::array{3.0, 0.5}, 1000, 0.02, 0.002,
          0.001),
      test_function("saddle", "Saddle f(x, y) = x^2 - y^2", TEST_FUNCTION(x * x - y * y), -1.5, 1e-3,
                    {.x_min = -2, .x_max = 2, .y_min = -2, .y_max = 2}, std::nullopt, 60, 0.05, 0.05, 0.05)};
  for (const auto& fn : functions) {
    const int steps = static_cast<int>(fn.steps * steps_scale);
    std::printf("%s: optimizers within 0.05 of the minimum after %d steps:", fn.name.c_str(), steps);
    examples::PathLog log(fn);
    std::istringstream names(optimizers);
    for (std::string name; names >> name;) {
      auto x = full<float>({1}, static_cast<float>(fn.x0), true), y = full<float>({1}, static_cast<float>(fn.y0), true);
      auto optimizer = examples::make_optimizer(name, {{"x", x}, {"y", y}}, lr_scale * fn.lr(name));
      const plot::Path& path = log.start(name);
      for (int step = 1; step <= steps; ++step) {
        optimizer->step([&] {
          optimizer->zero_grad();
          auto loss = fn.tensor_value(x, y);
          loss.backward();
          return loss.item();
        });
        examples::EvaluateAtAverage at_average(*optimizer);  // Schedule-Free's point is its average x
        log.add(step, x.item(), y.item());
      }
      if (fn.near_minimum(path.x.back(), path.y.back(), 0.05)) std::printf(" %s", name.c_str());
    }
    std::printf("\n");
    log.write(flags.at("--out"));
  }
  std::printf("wrote %zu SVG and CSV files to %s\n", functions.size(), flags.at("--out").c_str());
} catch (const std::exception& e) {
  std::fprintf(stderr, "optimizer_paths: %s\n", e.what());
  return 1;
}
