#include "choose.hpp"

#include <algorithm>
#include <cctype>
#include <stdexcept>

namespace xg::examples {

namespace {
std::string lower(std::string s) {
  std::transform(s.begin(), s.end(), s.begin(), [](unsigned char c) { return std::tolower(c); });
  return s;
}
}  // namespace

std::unique_ptr<optim::OptimizerBase> make_optimizer(const std::string& name, NamedTensors<float> params,
                                                     double lr) {
  using namespace xg::optim;
  using P = NamedTensors<float>;
  const std::string n = lower(name);
  if (n == "sgd") return std::make_unique<SGD<float>>(P(params), SGDOptions{.lr = lr});
  if (n == "momentum") return std::make_unique<SGD<float>>(P(params), SGDOptions{.lr = lr, .momentum = 0.9});
  if (n == "nesterov")
    return std::make_unique<SGD<float>>(P(params), SGDOptions{.lr = lr, .momentum = 0.9, .nesterov = true});
  if (n == "adagrad") return std::make_unique<Adagrad<float>>(P(params), AdagradOptions{.lr = lr});
  if (n == "rmsprop") return std::make_unique<RMSprop<float>>(P(params), RMSpropOptions{.lr = lr});
  if (n == "adadelta") return std::make_unique<Adadelta<float>>(P(params), AdadeltaOptions{.lr = lr});
  if (n == "adam") return std::make_unique<Adam<float>>(P(params), AdamOptions{.lr = lr});
  if (n == "amsgrad") return std::make_unique<Adam<float>>(P(params), AdamOptions{.lr = lr, .amsgrad = true});
  if (n == "adamw") return std::make_unique<AdamW<float>>(P(params), AdamWOptions{.lr = lr});
  if (n == "adamax") return std::make_unique<Adamax<float>>(P(params), AdamaxOptions{.lr = lr});
  if (n == "nadam") return std::make_unique<NAdam<float>>(P(params), NAdamOptions{.lr = lr});
  if (n == "radam") return std::make_unique<RAdam<float>>(P(params), RAdamOptions{.lr = lr});
  if (n == "sgdschedulefree")
    return std::make_unique<SGDScheduleFree<float>>(P(params), SGDScheduleFreeOptions{.lr = lr});
  if (n == "adamwschedulefree")
    return std::make_unique<AdamWScheduleFree<float>>(P(params), AdamWScheduleFreeOptions{.lr = lr});
  throw std::invalid_argument("unknown optimizer '" + name +
                              "'; choose one of SGD Momentum Nesterov Adagrad RMSprop Adadelta Adam AMSGrad AdamW "
                              "Adamax NAdam RAdam SGDScheduleFree AdamWScheduleFree");
}

std::unique_ptr<optim::LRScheduler> make_schedule(const std::string& name, optim::OptimizerBase& optimizer,
                                                  int epochs) {
  using namespace xg::optim;
  const std::string n = lower(name);
  const long e = std::max(1, epochs);
  if (n == "none") return nullptr;
  if (n == "step") return std::make_unique<StepLR>(optimizer, StepLROptions{.step_size = std::max(1L, e / 3)});
  if (n == "exponential") return std::make_unique<ExponentialLR>(optimizer, ExponentialLROptions{.gamma = 0.95});
  if (n == "cosine") return std::make_unique<CosineAnnealingLR>(optimizer, CosineAnnealingLROptions{.T_max = e});
  if (n == "warmup")
    return std::make_unique<LinearLR>(optimizer,
                                      LinearLROptions{.start_factor = 0.1, .total_iters = std::max(1L, e / 10)});
  if (n == "onecycle")
    return std::make_unique<OneCycleLR>(
        optimizer, OneCycleLROptions{.max_lr = optimizer.lr(), .total_steps = e + 1,
                                     .cycle_momentum = optimizer.momentum().has_value()});
  throw std::invalid_argument("unknown schedule '" + name + "'; choose one of none step exponential cosine warmup onecycle");
}

}  // namespace xg::examples
