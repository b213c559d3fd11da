#pragma once
// Learning-rate schedules as plain functions of the step count, for users who
// want no scheduler object: names, arguments and formulas as Optax's
// (optax.schedules). Each factory returns a `Schedule`, and the cyclic ones
// interpolate with the two annealing functions PyTorch's OneCycleLR defines.
//
//   auto lr = xg::optim::schedules::warmup_cosine_decay_schedule(0.0, 0.1, 100, 1000);
//   opt.set_lr(lr(step));
//
// Where Optax logs and falls back to a constant for meaningless arguments
// (non-positive transition_steps of exponential_decay, a zero decay_rate, a
// negative transition_begin) these throw std::invalid_argument instead. A
// non-positive transition_steps of polynomial_schedule / linear_schedule is
// documented by Optax as "hold init_value" and is kept.

#include <functional>
#include <map>
#include <optional>
#include <vector>

namespace xg::optim::schedules {

// The value at step 0, 1, 2, ...
using Schedule = std::function<double(long step)>;

// From `start` at pct = 0 to `end` at pct = 1: half a cosine period, and a
// straight line (PyTorch's OneCycleLR._annealing_cos / _annealing_linear).
// pct outside [0, 1] continues the same curve.
double cosine_annealing(double start, double end, double pct);
double linear_annealing(double start, double end, double pct);

Schedule constant_schedule(double value);

// init_value until transition_begin, then
// (init_value - end_value) * (1 - t / transition_steps)^power + end_value,
// then end_value from transition_begin + transition_steps on.
Schedule polynomial_schedule(double init_value, double end_value, double power, long transition_steps,
                             long transition_begin = 0);
Schedule linear_schedule(double init_value, double end_value, long transition_steps, long transition_begin = 0);

// init_value * decay_rate^((step - transition_begin) / transition_steps),
// the exponent floored when `staircase`; init_value until transition_begin.
// end_value bounds the result: from below when decay_rate < 1, from above
// otherwise.
Schedule exponential_decay(double init_value, long transition_steps, double decay_rate, long transition_begin = 0,
                           bool staircase = false, std::optional<double> end_value = std::nullopt);

// init_value times the product of the scales of all boundaries <= step.
// Scales must be non-negative.
Schedule piecewise_constant_schedule(double init_value, const std::map<long, double>& boundaries_and_scales);

// init_value * ((1 - alpha) * (0.5 * (1 + cos(pi * t / decay_steps)))^exponent + alpha),
// with t = min(step, decay_steps).
Schedule cosine_decay_schedule(double init_value, long decay_steps, double alpha = 0.0, double exponent = 1.0);

// Linear from init_value to peak_value over warmup_steps, then cosine decay
// to end_value at decay_steps (which counts the warm-up steps too).
Schedule warmup_cosine_decay_schedule(double init_value, double peak_value, long warmup_steps, long decay_steps,
                                      double end_value = 0.0, double exponent = 1.0);

// The shape of the decay of warmup_stable_decay_schedule, from 1 at
// progress p = 0 to 0 at p = 1: 1 - p, (1 + cos(pi p)) / 2, 1 - sqrt(p).
enum class WSDDecay { linear, cosine, sqrt };

// Warmup-stable-decay (Hägele et al. 2024, "Scaling Laws and Compute-Optimal
// Training Beyond Fixed Training Durations"; not in Optax): linear from 0 to
// peak_value over warmup_steps, peak_value for stable_steps, then down to
// min_value over decay_steps along `decay`, and min_value from there on:
//   step < W:              peak_value * step / W
//   step < W + S:          peak_value
//   step < W + S + D:      min_value + (peak_value - min_value) * shape((step - W - S) / D)
//   later:                 min_value
Schedule warmup_stable_decay_schedule(double peak_value, long warmup_steps, long stable_steps, long decay_steps,
                                      WSDDecay decay = WSDDecay::linear, double min_value = 0.0);

// schedules[0] before boundaries[0], then schedules[i] evaluated at
// step - boundaries[i - 1]: each schedule restarts from its own step 0.
Schedule join_schedules(std::vector<Schedule> schedules, std::vector<long> boundaries);

}  // namespace xg::optim::schedules
