#pragma once
// The schedules of torch.optim.lr_scheduler whose lr is a closed form of the
// epoch, lr = formula(base_lr, epoch): one class, ClosedFormLR, and each
// PyTorch name a constructor that checks its options and picks the formula
// (from the plain functions of optim/schedule_functions.hpp where one fits).
//
//   StepLR sched(opt, {.step_size = 30, .gamma = 0.1});
//   for (int epoch = 0; epoch < 90; ++epoch) { train_one_epoch(); sched.step(); }

#include <cstddef>
#include <functional>
#include <string>
#include <vector>

#include <xgrad/optim/schedulers/lr_scheduler.hpp>
#include <xgrad/optim/schedulers/per_group.hpp>

namespace xg::optim {

class ClosedFormLR : public LRScheduler {
 public:
  // The lr of `group` at `epoch` (>= 0) from the group's base lr.
  using Formula = std::function<double(double base_lr, long epoch, std::size_t group)>;

  ClosedFormLR(OptimizerBase& optimizer, std::string name, Formula formula);

 protected:
  double compute_lr(long epoch, std::size_t group) const final { return formula_(base_lrs()[group], epoch, group); }

 private:
  Formula formula_;
};

// lr = base_lr * gamma^floor(epoch / step_size).
struct StepLROptions {
  long step_size = 0;  // required, positive
  double gamma = 0.1;
};
class StepLR : public ClosedFormLR {
 public:
  StepLR(OptimizerBase& optimizer, const StepLROptions& options);
  const StepLROptions& options() const { return options_; }

 private:
  StepLROptions options_;
};

// lr = base_lr * gamma^(number of milestones <= epoch). A milestone listed
// twice counts twice, as in PyTorch.
struct MultiStepLROptions {
  std::vector<long> milestones;  // epochs, in any order
  double gamma = 0.1;
};
class MultiStepLR : public ClosedFormLR {
 public:
  MultiStepLR(OptimizerBase& optimizer, const MultiStepLROptions& options);
  const MultiStepLROptions& options() const { return options_; }

 private:
  MultiStepLROptions options_;
};

// lr = base_lr * gamma^epoch.
struct ExponentialLROptions {
  double gamma = 0.0;  // required, positive
};
class ExponentialLR : public ClosedFormLR {
 public:
  ExponentialLR(OptimizerBase& optimizer, const ExponentialLROptions& options);
  const ExponentialLROptions& options() const { return options_; }

 private:
  ExponentialLROptions options_;
};

// The usual warm-up: the lr's factor goes linearly from start_factor to
// end_factor over total_iters epochs, then stays,
// lr = base_lr * (start + (end - start) * min(epoch, total_iters) / total_iters).
struct LinearLROptions {
  double start_factor = 1.0 / 3;  // in (0, 1]
  double end_factor = 1.0;        // in [0, 1]
  long total_iters = 5;
};
class LinearLR : public ClosedFormLR {
 public:
  LinearLR(OptimizerBase& optimizer, const LinearLROptions& options = {});
  const LinearLROptions& options() const { return options_; }

 private:
  LinearLROptions options_;
};

// A warm-up at a reduced lr: the lr is scaled by `factor` for the first
// total_iters epochs, then is the base lr.
struct ConstantLROptions {
  double factor = 1.0 / 3;  // in [0, 1]
  long total_iters = 5;
};
class ConstantLR : public ClosedFormLR {
 public:
  ConstantLR(OptimizerBase& optimizer, const ConstantLROptions& options = {});
  const ConstantLROptions& options() const { return options_; }

 private:
  ConstantLROptions options_;
};

// The lr falls to zero over total_iters epochs along a polynomial and stays
// there, lr = base_lr * (1 - min(epoch, total_iters) / total_iters)^power.
struct PolynomialLROptions {
  long total_iters = 5;  // positive
  double power = 1.0;    // non-negative
};
class PolynomialLR : public ClosedFormLR {
 public:
  PolynomialLR(OptimizerBase& optimizer, const PolynomialLROptions& options = {});
  const PolynomialLROptions& options() const { return options_; }

 private:
  PolynomialLROptions options_;
};

// In the closed form of SGDR:
// lr = eta_min + (base_lr - eta_min) * (1 + cos(pi * epoch / T_max)) / 2.
// PyTorch documents and steps a recursive form, lr_{t+1} from lr_t, with a
// special case at epoch = (2k + 1) T_max where its ratio would divide by
// zero. Both give the same sequence (past T_max the lr climbs back along the
// same cosine, period 2 T_max) as long as nothing else changes the lr.
struct CosineAnnealingLROptions {
  long T_max = 0;  // required, positive
  double eta_min = 0.0;
};
class CosineAnnealingLR : public ClosedFormLR {
 public:
  CosineAnnealingLR(OptimizerBase& optimizer, const CosineAnnealingLROptions& options);
  const CosineAnnealingLROptions& options() const { return options_; }

 private:
  CosineAnnealingLROptions options_;
};

// SGDR: cosine annealing from base_lr to eta_min over T_i epochs, then back
// to base_lr. The first period is T_0 and each next one T_mult times longer:
// lr = eta_min + (base_lr - eta_min) * (1 + cos(pi * T_cur / T_i)) / 2, with
// T_cur the epochs since the last restart (0 at a restart).
struct CosineAnnealingWarmRestartsOptions {
  long T_0 = 0;  // required, positive
  long T_mult = 1;
  double eta_min = 0.0;
};
class CosineAnnealingWarmRestarts : public ClosedFormLR {
 public:
  CosineAnnealingWarmRestarts(OptimizerBase& optimizer, const CosineAnnealingWarmRestartsOptions& options);
  const CosineAnnealingWarmRestartsOptions& options() const { return options_; }

 private:
  CosineAnnealingWarmRestartsOptions options_;
};

// lr = base_lr * lr_lambda(epoch), with one function for all param groups or
// one per group:
//   LambdaLR sched(opt, {.lr_lambda = [](long epoch) { return std::pow(0.95, epoch); }});
// The functions are not part of the saved state (PyTorch saves them only when
// they are objects with attributes): construct the schedule with the same
// ones before loading.
struct LambdaLROptions {
  PerGroup<std::function<double(long epoch)>> lr_lambda;  // required
};
class LambdaLR : public ClosedFormLR {
 public:
  LambdaLR(OptimizerBase& optimizer, const LambdaLROptions& options);
};

}  // namespace xg::optim
