#pragma once
// Weight averaging, as torch.optim.swa_utils.AveragedModel: a second model of
// the same architecture holds a running average of the trained model's
// parameters, Stochastic Weight Averaging's equal-weight mean by default
// (Izmailov, Podoprikhin, Garipov, Vetrov & Wilson, 2018, "Averaging Weights
// Leads to Wider Optima and Better Generalization") or an exponential moving
// average with ema_avg(decay).
//
//   auto swa_model = std::make_shared<Net>();        // same layers as `model`
//   xg::optim::AveragedModel swa(swa_model);         // or {.avg_fn = xg::optim::ema_avg(0.999)}
//   xg::optim::SWALR swa_sched(opt, {.swa_lr = 0.05});
//   for (epoch ...) { train(model); if (epoch > swa_start) { swa.update_parameters(*model); swa_sched.step(); } }
//   evaluate(swa.module());                           // or swa(x)
//
// PyTorch deep-copies the model; a C++ module cannot be copied generically,
// so the caller builds the second one. The first update_parameters copies the
// model's values into it; each later one applies avg_fn to every parameter.
// Parameters are matched by name and shape, checked before anything changes.

#include <cstdint>
#include <functional>
#include <memory>

#include <xgrad/core/archive.hpp>
#include <xgrad/core/array.hpp>
#include <xgrad/nn/module.hpp>

namespace xg::optim {

// The new average from the current one, the model's value and the number of
// models averaged so far (>= 1), as PyTorch's avg_fn.
using AveragingFunction =
    std::function<Array<float>(const Array<float>& averaged, const Array<float>& current, std::int64_t n_averaged)>;

// SWA's running mean, PyTorch's get_swa_avg_fn: averaged + (current − averaged) / (n + 1).
AveragingFunction swa_avg();
// PyTorch's get_ema_avg_fn: decay·averaged + (1 − decay)·current; decay in [0, 1].
AveragingFunction ema_avg(double decay = 0.999);

struct AveragedModelOptions {
  AveragingFunction avg_fn;  // swa_avg() when empty
};

class AveragedModel {
 public:
  explicit AveragedModel(std::shared_ptr<nn::Module> module, AveragedModelOptions options = {});

  // Averages `model`'s parameters into module()'s: copies them at the first
  // call, applies avg_fn after. Throws, changing nothing, when the names or
  // shapes differ from module()'s or avg_fn returns another shape.
  void update_parameters(const nn::Module& model);
  std::int64_t n_averaged() const { return n_averaged_; }
  nn::Module& module() const { return *module_; }
  Tensor operator()(const Tensor& input) const { return module_->forward(input); }

  // The averaged parameters under "module.<name>" and "n_averaged", as
  // PyTorch's AveragedModel.state_dict(). avg_fn is not saved.
  io::Archive state_dict() const;
  // Checks every entry before changing anything.
  void load_state_dict(const io::Archive& state);

 private:
  std::shared_ptr<nn::Module> module_;
  AveragingFunction avg_fn_;
  std::int64_t n_averaged_ = 0;
};

}  // namespace xg::optim
