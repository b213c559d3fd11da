// Every optimizer, at ordinary and at extreme allowed options, fed the same
// finite gradient for 1,000 steps: huge (±1e30, whose square overflows
// float), tiny (1e-30, whose square underflows to 0) and exactly 0. A finite
// parameter must stay finite (settings are chosen so that the exact path
// stays within float's range). The parameter has 11 elements so that both
// the SIMD loop and its scalar tail run.

#include <cmath>
#include <string>
#include <vector>

#include <doctest/doctest.h>

#include <xgrad/optim/optim.hpp>
#include <xgrad/xgrad.hpp>

namespace {

constexpr int steps = 1000;
constexpr double gradients[] = {1e30, -1e30, 1e-30, 0.0};

template <template <class> class Optimizer, class Scalar>
void check_stays_finite(const typename Optimizer<Scalar>::options_type& options, const std::string& setting) {
  for (const double gradient : gradients) {
    auto theta = xg::tensor<Scalar>(xt::linspace<Scalar>(-1, 1, 11), true);
    Optimizer<Scalar> optimizer(std::vector{theta}, options);
    int first_bad_step = 0;
    for (int t = 1; t <= steps && first_bad_step == 0; ++t) {
      theta.grad().fill(static_cast<Scalar>(gradient));
      optimizer.step();
      for (const Scalar v : theta.value())
        if (!std::isfinite(v)) first_bad_step = t;
    }
    const std::string what = std::string(Optimizer<Scalar>::name) + " (" + setting + ", " +
                             (sizeof(Scalar) == 8 ? "double" : "float") + ") with gradient " +
                             std::to_string(gradient) + ": a parameter became non-finite at step " +
                             std::to_string(first_bad_step);
    CHECK_MESSAGE(first_bad_step == 0, what);
  }
}

template <template <class> class Optimizer>
void check_settings(const std::vector<std::pair<std::string, typename Optimizer<double>::options_type>>& settings) {
  for (const auto& [setting, options] : settings) {
    check_stays_finite<Optimizer, float>(options, setting);
    check_stays_finite<Optimizer, double>(options, setting);
  }
}

}  // namespace

TEST_CASE("optimizer robustness: SGD keeps parameters finite under huge, tiny and zero gradients") {
  check_settings<xg::optim::SGD>({
      {"plain", {.lr = 0.1}},
      {"weight_decay, maximize", {.lr = 0.1, .weight_decay = 1e-2, .maximize = true}},
      {"momentum, dampening", {.lr = 0.1, .momentum = 0.9, .dampening = 0.5}},
      {"nesterov", {.lr = 1.0, .momentum = 0.99, .weight_decay = 1e-4, .nesterov = true}},
  });
}

TEST_CASE("optimizer robustness: Adagrad keeps parameters finite under huge, tiny and zero gradients") {
  check_settings<xg::optim::Adagrad>({
      {"defaults", {}},
      {"lr_decay, weight_decay, initial accumulator",
       {.lr = 1.0, .lr_decay = 0.1, .weight_decay = 1e-2, .initial_accumulator_value = 0.5}},
      {"eps inside sqrt, maximize", {.lr = 0.5, .eps = 1e-30, .maximize = true, .eps_inside_sqrt = true}},
  });
}

TEST_CASE("optimizer robustness: RMSprop keeps parameters finite under huge, tiny and zero gradients") {
  check_settings<xg::optim::RMSprop>({
      {"plain", {}},
      {"centered", {.centered = true}},
      {"momentum", {.momentum = 0.9}},
      {"centered, momentum, weight_decay", {.lr = 0.1, .weight_decay = 1e-2, .momentum = 0.99, .centered = true}},
      {"alpha = 0, eps inside sqrt", {.alpha = 0.0, .centered = true, .eps_inside_sqrt = true}},
      // alpha = 1 never updates the averages, so each step is lr·g/eps: at
      // lr = 0.01 that is 1e36 for g = 1e30, and 340 steps leave float's
      // range in exact arithmetic too. A smaller lr keeps the path in range.
      {"alpha = 1", {.lr = 1e-4, .alpha = 1.0, .centered = true}},
  });
}

TEST_CASE("optimizer robustness: Adadelta keeps parameters finite under huge, tiny and zero gradients") {
  check_settings<xg::optim::Adadelta>({
      {"defaults", {}},
      {"rho = 0", {.rho = 0.0}},
      {"rho = 1, weight_decay, maximize", {.rho = 1.0, .weight_decay = 1e-2, .maximize = true}},
      {"tiny eps", {.lr = 10.0, .rho = 0.999, .eps = 1e-30}},
  });
}

TEST_CASE("optimizer robustness: Adam and AMSGrad keep parameters finite under huge, tiny and zero gradients") {
  check_settings<xg::optim::Adam>({
      {"defaults", {}},
      {"amsgrad", {.amsgrad = true}},
      {"betas = (0, 0), weight_decay", {.lr = 0.1, .betas = {0.0, 0.0}, .weight_decay = 1e-2}},
      {"betas near 1, tiny eps, maximize", {.betas = {0.999999, 0.999999}, .eps = 1e-30, .maximize = true}},
      {"amsgrad, betas near 1", {.lr = 0.1, .betas = {0.99, 0.99999}, .amsgrad = true}},
  });
}

TEST_CASE("optimizer robustness: AdamW keeps parameters finite under huge, tiny and zero gradients") {
  check_settings<xg::optim::AdamW>({
      {"defaults", {}},
      {"amsgrad, strong decay", {.lr = 0.1, .weight_decay = 1.0, .amsgrad = true}},
      {"betas = (0, 0), tiny eps", {.betas = {0.0, 0.0}, .eps = 1e-30}},
  });
}

TEST_CASE("optimizer robustness: Adamax keeps parameters finite under huge, tiny and zero gradients") {
  check_settings<xg::optim::Adamax>({
      {"defaults", {}},
      {"betas = (0, 0), weight_decay", {.lr = 0.1, .betas = {0.0, 0.0}, .weight_decay = 1e-2}},
      {"betas near 1, tiny eps, maximize", {.betas = {0.999999, 0.999999}, .eps = 1e-30, .maximize = true}},
  });
}

TEST_CASE("optimizer robustness: NAdam keeps parameters finite under huge, tiny and zero gradients") {
  check_settings<xg::optim::NAdam>({
      {"defaults", {}},
      {"betas = (0, 0), weight_decay", {.lr = 0.1, .betas = {0.0, 0.0}, .weight_decay = 1e-2}},
      {"betas near 1, tiny eps, fast momentum decay",
       {.betas = {0.999999, 0.999999}, .eps = 1e-30, .momentum_decay = 1.0}},
  });
}

TEST_CASE("optimizer robustness: RAdam keeps parameters finite under huge, tiny and zero gradients") {
  check_settings<xg::optim::RAdam>({
      {"defaults", {}},
      {"betas = (0, 0), weight_decay", {.lr = 0.1, .betas = {0.0, 0.0}, .weight_decay = 1e-2}},
      {"betas near 1, tiny eps", {.betas = {0.9, 0.999999}, .eps = 1e-30}},
  });
}
