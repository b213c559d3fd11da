#include <xgrad/optim/schedulers/closed_form_lr.hpp>

#include <algorithm>
#include <cmath>
#include <limits>
#include <map>
#include <string>
#include <utility>

#include <xgrad/core/error.hpp>
#include <xgrad/core/message.hpp>
#include <xgrad/optim/schedule_functions.hpp>

namespace xg::optim {

namespace {

// base_lr times a factor of the epoch alone.
ClosedFormLR::Formula scaled(schedules::Schedule factor) {
  return [factor = std::move(factor)](double base_lr, long epoch, std::size_t) { return base_lr * factor(epoch); };
}

ClosedFormLR::Formula step_formula(const StepLROptions& o) {
  if (o.step_size <= 0)
    throw_invalid_argument("StepLR", "step_size must be positive, got " + std::to_string(o.step_size));
  if (!(o.gamma > 0.0)) throw_invalid_argument("StepLR", "gamma must be positive, got " + number_text(o.gamma));
  return scaled(schedules::exponential_decay(1.0, o.step_size, o.gamma, 0, /*staircase=*/true));
}

ClosedFormLR::Formula multi_step_formula(const MultiStepLROptions& o) {
  if (!(o.gamma > 0.0)) throw_invalid_argument("MultiStepLR", "gamma must be positive, got " + number_text(o.gamma));
  std::map<long, double> scales;
  for (long milestone : o.milestones) {
    if (milestone < 0)
      throw_invalid_argument("MultiStepLR", "milestones must be non-negative, got " + std::to_string(milestone));
    auto [it, inserted] = scales.try_emplace(milestone, o.gamma);
    if (!inserted) it->second *= o.gamma;
  }
  return scaled(schedules::piecewise_constant_schedule(1.0, scales));
}

ClosedFormLR::Formula exponential_formula(const ExponentialLROptions& o) {
  if (!(o.gamma > 0.0))
    throw_invalid_argument("ExponentialLR", "gamma is required and must be positive, got " + number_text(o.gamma));
  return scaled(schedules::exponential_decay(1.0, 1, o.gamma));
}

ClosedFormLR::Formula linear_formula(const LinearLROptions& o) {
  if (!(o.start_factor > 0.0 && o.start_factor <= 1.0))
    throw_invalid_argument("LinearLR", "start_factor must be in (0, 1], got " + number_text(o.start_factor));
  if (!(o.end_factor >= 0.0 && o.end_factor <= 1.0))
    throw_invalid_argument("LinearLR", "end_factor must be in [0, 1], got " + number_text(o.end_factor));
  if (o.total_iters <= 0)
    throw_invalid_argument("LinearLR", "total_iters must be positive, got " + std::to_string(o.total_iters));
  return scaled(schedules::linear_schedule(o.start_factor, o.end_factor, o.total_iters));
}

ClosedFormLR::Formula constant_formula(const ConstantLROptions& o) {
  if (!(o.factor >= 0.0 && o.factor <= 1.0))
    throw_invalid_argument("ConstantLR", "factor must be in [0, 1], got " + number_text(o.factor));
  if (o.total_iters < 0)
    throw_invalid_argument("ConstantLR", "total_iters must be non-negative, got " + std::to_string(o.total_iters));
  return [o](double base_lr, long epoch, std::size_t) { return epoch < o.total_iters ? base_lr * o.factor : base_lr; };
}

ClosedFormLR::Formula polynomial_formula(const PolynomialLROptions& o) {
  if (o.total_iters <= 0)
    throw_invalid_argument("PolynomialLR", "total_iters must be positive, got " + std::to_string(o.total_iters));
  if (!(o.power >= 0.0 && std::isfinite(o.power)))
    throw_invalid_argument("PolynomialLR", "power must be non-negative and finite, got " + number_text(o.power));
  return [o](double base_lr, long epoch, std::size_t) {
    const double done = static_cast<double>(std::min(epoch, o.total_iters));
    return base_lr * std::pow(1.0 - done / static_cast<double>(o.total_iters), o.power);
  };
}

ClosedFormLR::Formula cosine_formula(const CosineAnnealingLROptions& o) {
  if (o.T_max <= 0)
    throw_invalid_argument("CosineAnnealingLR", "T_max must be positive, got " + std::to_string(o.T_max));
  return [o](double base_lr, long epoch, std::size_t) {
    return schedules::cosine_annealing(base_lr, o.eta_min, static_cast<double>(epoch) / static_cast<double>(o.T_max));
  };
}

// T_cur and T_i in integers, walking the restarts: PyTorch's closed form
// through log(epoch / T_0 * (T_mult - 1) + 1, T_mult) can round a restart
// epoch into the previous period.
ClosedFormLR::Formula warm_restarts_formula(const CosineAnnealingWarmRestartsOptions& o) {
  if (o.T_0 <= 0)
    throw_invalid_argument("CosineAnnealingWarmRestarts", "T_0 must be positive, got " + std::to_string(o.T_0));
  if (o.T_mult < 1)
    throw_invalid_argument("CosineAnnealingWarmRestarts", "T_mult must be at least 1, got " + std::to_string(o.T_mult));
  return [o](double base_lr, long epoch, std::size_t) {
    long restart = 0;
    long T_i = o.T_0;
    double period = static_cast<double>(T_i);
    if (o.T_mult == 1) {
      restart = epoch - epoch % T_i;
    } else {
      while (epoch - restart >= T_i) {
        restart += T_i;
        if (T_i > std::numeric_limits<long>::max() / o.T_mult) {
          // The next period outlasts any epoch a long can count.
          period = static_cast<double>(T_i) * static_cast<double>(o.T_mult);
          break;
        }
        T_i *= o.T_mult;
        period = static_cast<double>(T_i);
      }
    }
    return schedules::cosine_annealing(base_lr, o.eta_min, static_cast<double>(epoch - restart) / period);
  };
}

ClosedFormLR::Formula lambda_formula(const OptimizerBase& optimizer, const LambdaLROptions& o) {
  auto lambdas = o.lr_lambda.resolve(optimizer.num_param_groups(), "LambdaLR: lr_lambda");
  for (std::size_t g = 0; g < lambdas.size(); ++g)
    if (!lambdas[g]) throw_invalid_argument("LambdaLR", "lr_lambda of param group " + std::to_string(g) + " is empty");
  return [lambdas = std::move(lambdas)](double base_lr, long epoch, std::size_t group) {
    return base_lr * lambdas[group](epoch);
  };
}

}  // namespace

ClosedFormLR::ClosedFormLR(OptimizerBase& optimizer, std::string name, Formula formula)
    : LRScheduler(optimizer, std::move(name)), formula_(std::move(formula)) {
  initial_step();
}

StepLR::StepLR(OptimizerBase& optimizer, const StepLROptions& options)
    : ClosedFormLR(optimizer, "StepLR", step_formula(options)), options_(options) {}

MultiStepLR::MultiStepLR(OptimizerBase& optimizer, const MultiStepLROptions& options)
    : ClosedFormLR(optimizer, "MultiStepLR", multi_step_formula(options)), options_(options) {}

ExponentialLR::ExponentialLR(OptimizerBase& optimizer, const ExponentialLROptions& options)
    : ClosedFormLR(optimizer, "ExponentialLR", exponential_formula(options)), options_(options) {}

LinearLR::LinearLR(OptimizerBase& optimizer, const LinearLROptions& options)
    : ClosedFormLR(optimizer, "LinearLR", linear_formula(options)), options_(options) {}

ConstantLR::ConstantLR(OptimizerBase& optimizer, const ConstantLROptions& options)
    : ClosedFormLR(optimizer, "ConstantLR", constant_formula(options)), options_(options) {}

PolynomialLR::PolynomialLR(OptimizerBase& optimizer, const PolynomialLROptions& options)
    : ClosedFormLR(optimizer, "PolynomialLR", polynomial_formula(options)), options_(options) {}

CosineAnnealingLR::CosineAnnealingLR(OptimizerBase& optimizer, const CosineAnnealingLROptions& options)
    : ClosedFormLR(optimizer, "CosineAnnealingLR", cosine_formula(options)), options_(options) {}

CosineAnnealingWarmRestarts::CosineAnnealingWarmRestarts(OptimizerBase& optimizer,
                                                         const CosineAnnealingWarmRestartsOptions& options)
    : ClosedFormLR(optimizer, "CosineAnnealingWarmRestarts", warm_restarts_formula(options)), options_(options) {}

LambdaLR::LambdaLR(OptimizerBase& optimizer, const LambdaLROptions& options)
    : ClosedFormLR(optimizer, "LambdaLR", lambda_formula(optimizer, options)) {}

}  // namespace xg::optim
