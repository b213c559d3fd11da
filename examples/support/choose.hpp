#pragma once
// Optimizers and schedules by the names the examples' flags use.

#include <memory>
#include <string>

#include <xgrad/xgrad.hpp>

namespace xg::examples {

// SGD, Momentum (SGD, momentum 0.9), Nesterov, Adagrad, RMSprop, Adadelta,
// Adam, AMSGrad, AdamW, Adamax, NAdam, RAdam, SGDScheduleFree,
// AdamWScheduleFree, Rprop, ASGD, Adafactor, LBFGS, Lion, LAMB, Yogi,
// AdaBelief, Ftrl, Shampoo (any case), each with its defaults but the lr;
// Muon: Muon for the hidden weight matrices and AdamW for the rest, sharing
// the lr; Lookahead: Lookahead (k 5, alpha 0.5) around Adam at the lr.
// Throws std::invalid_argument listing the names for an unknown one.
std::unique_ptr<optim::OptimizerBase> make_optimizer(const std::string& name, NamedTensors<float> params, double lr);

// While it lives, a Schedule-Free optimizer's parameters hold x, the average
// its reference evaluates at (eval()); train() puts y back at the end. Any
// other optimizer is evaluated where it trains, and this does nothing.
class EvaluateAtAverage {
 public:
  explicit EvaluateAtAverage(optim::OptimizerBase& optimizer);
  ~EvaluateAtAverage();
  EvaluateAtAverage(const EvaluateAtAverage&) = delete;
  EvaluateAtAverage& operator=(const EvaluateAtAverage&) = delete;

 private:
  optim::OptimizerBase& optimizer_;
};

// A schedule stepped once per epoch: none (nullptr), step (x0.1 every third
// of the run), exponential (x0.95 per epoch), cosine (to 0 at the end),
// warmup (linear from 0.1 lr over the first tenth), onecycle.
std::unique_ptr<optim::LRScheduler> make_schedule(const std::string& name, optim::OptimizerBase& optimizer, int epochs);

}  // namespace xg::examples
