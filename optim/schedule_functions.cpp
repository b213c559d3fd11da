#include <xgrad/optim/schedule_functions.hpp>

#include <algorithm>
#include <cmath>
#include <numbers>
#include <stdexcept>
#include <string>
#include <utility>

#include <xgrad/core/error.hpp>
#include <xgrad/core/message.hpp>

namespace xg::optim::schedules {

double cosine_annealing(double start, double end, double pct) {
  return end + (start - end) / 2.0 * (std::cos(std::numbers::pi * pct) + 1.0);
}

double linear_annealing(double start, double end, double pct) { return (end - start) * pct + start; }

Schedule constant_schedule(double value) {
  return [value](long) { return value; };
}

Schedule polynomial_schedule(double init_value, double end_value, double power, long transition_steps,
                             long transition_begin) {
  if (!(power > 0.0))
    throw_invalid_argument("polynomial_schedule", "power must be positive, got " + number_text(power));
  if (transition_begin < 0)
    throw_invalid_argument("polynomial_schedule",
                           "transition_begin must be non-negative, got " + std::to_string(transition_begin));
  if (transition_steps <= 0) return constant_schedule(init_value);
  return [=](long step) {
    const long count = std::clamp(step - transition_begin, 0L, transition_steps);
    const double frac = 1.0 - static_cast<double>(count) / static_cast<double>(transition_steps);
    return (init_value - end_value) * std::pow(frac, power) + end_value;
  };
}

Schedule linear_schedule(double init_value, double end_value, long transition_steps, long transition_begin) {
  return polynomial_schedule(init_value, end_value, 1.0, transition_steps, transition_begin);
}

Schedule exponential_decay(double init_value, long transition_steps, double decay_rate, long transition_begin,
                           bool staircase, std::optional<double> end_value) {
  const char* op = "exponential_decay";
  if (transition_steps <= 0)
    throw_invalid_argument(op, "transition_steps must be positive, got " + std::to_string(transition_steps));
  if (!(decay_rate > 0.0)) throw_invalid_argument(op, "decay_rate must be positive, got " + number_text(decay_rate));
  if (transition_begin < 0)
    throw_invalid_argument(op, "transition_begin must be non-negative, got " + std::to_string(transition_begin));
  return [=](long step) {
    const long decreased_count = step - transition_begin;
    double value = init_value;
    if (decreased_count > 0) {
      double p = static_cast<double>(decreased_count) / static_cast<double>(transition_steps);
      if (staircase) p = std::floor(p);
      value = init_value * std::pow(decay_rate, p);
    }
    if (end_value) value = decay_rate < 1.0 ? std::max(value, *end_value) : std::min(value, *end_value);
    return value;
  };
}

Schedule piecewise_constant_schedule(double init_value, const std::map<long, double>& boundaries_and_scales) {
  for (const auto& [boundary, scale] : boundaries_and_scales)
    if (!(scale >= 0.0))
      throw_invalid_argument("piecewise_constant_schedule", "scales must be non-negative, got " + number_text(scale) +
                                                                " at step " + std::to_string(boundary));
  return [init_value, boundaries_and_scales](long step) {
    double value = init_value;
    for (const auto& [boundary, scale] : boundaries_and_scales) {
      if (step < boundary) break;
      value *= scale;
    }
    return value;
  };
}

Schedule cosine_decay_schedule(double init_value, long decay_steps, double alpha, double exponent) {
  if (decay_steps <= 0)
    throw_invalid_argument("cosine_decay_schedule", "decay_steps must be positive, got " + std::to_string(decay_steps));
  if (!(exponent > 0.0))
    throw_invalid_argument("cosine_decay_schedule", "exponent must be positive, got " + number_text(exponent));
  return [=](long step) {
    const double t = static_cast<double>(std::min(step, decay_steps));
    const double cosine = 0.5 * (1.0 + std::cos(std::numbers::pi * t / static_cast<double>(decay_steps)));
    return init_value * ((1.0 - alpha) * std::pow(cosine, exponent) + alpha);
  };
}

Schedule warmup_cosine_decay_schedule(double init_value, double peak_value, long warmup_steps, long decay_steps,
                                      double end_value, double exponent) {
  const char* op = "warmup_cosine_decay_schedule";
  if (warmup_steps < 0)
    throw_invalid_argument(op, "warmup_steps must be non-negative, got " + std::to_string(warmup_steps));
  if (decay_steps <= warmup_steps)
    throw_invalid_argument(op, "decay_steps (" + std::to_string(decay_steps) +
                                   ") counts the warm-up and must exceed warmup_steps (" +
                                   std::to_string(warmup_steps) + ")");
  const double alpha = peak_value == 0.0 ? 0.0 : end_value / peak_value;
  return join_schedules({linear_schedule(init_value, peak_value, warmup_steps),
                         cosine_decay_schedule(peak_value, decay_steps - warmup_steps, alpha, exponent)},
                        {warmup_steps});
}

Schedule warmup_stable_decay_schedule(double peak_value, long warmup_steps, long stable_steps, long decay_steps,
                                      WSDDecay decay, double min_value) {
  const char* op = "warmup_stable_decay_schedule";
  if (warmup_steps < 0)
    throw_invalid_argument(op, "warmup_steps must be non-negative, got " + std::to_string(warmup_steps));
  if (stable_steps < 0)
    throw_invalid_argument(op, "stable_steps must be non-negative, got " + std::to_string(stable_steps));
  if (decay_steps <= 0) throw_invalid_argument(op, "decay_steps must be positive, got " + std::to_string(decay_steps));
  if (decay != WSDDecay::linear && decay != WSDDecay::cosine && decay != WSDDecay::sqrt)
    throw_invalid_argument(op, "decay must be linear, cosine or sqrt, got " + std::to_string(static_cast<int>(decay)));
  return [=](long step) {
    if (step < warmup_steps) return peak_value * static_cast<double>(step) / static_cast<double>(warmup_steps);
    const long into_decay = step - warmup_steps - stable_steps;
    if (into_decay < 0) return peak_value;
    if (into_decay >= decay_steps) return min_value;
    const double progress = static_cast<double>(into_decay) / static_cast<double>(decay_steps);
    const double shape = decay == WSDDecay::linear   ? 1.0 - progress
                         : decay == WSDDecay::cosine ? 0.5 * (1.0 + std::cos(std::numbers::pi * progress))
                                                     : 1.0 - std::sqrt(progress);
    return min_value + (peak_value - min_value) * shape;
  };
}

Schedule join_schedules(std::vector<Schedule> schedules, std::vector<long> boundaries) {
  const char* op = "join_schedules";
  if (schedules.empty()) throw_invalid_argument(op, "needs at least one schedule");
  if (boundaries.size() + 1 != schedules.size())
    throw_invalid_argument(op, "needs one boundary fewer than schedules, got " + std::to_string(schedules.size()) +
                                   " schedules and " + std::to_string(boundaries.size()) + " boundaries");
  for (std::size_t i = 0; i < schedules.size(); ++i)
    if (!schedules[i]) throw_invalid_argument(op, "schedule " + std::to_string(i) + " is empty");
  if (!std::is_sorted(boundaries.begin(), boundaries.end()))
    throw_invalid_argument(op, "boundaries must be in increasing order");
  return [schedules = std::move(schedules), boundaries = std::move(boundaries)](long step) {
    const auto active =
        static_cast<std::size_t>(std::upper_bound(boundaries.begin(), boundaries.end(), step) - boundaries.begin());
    return active == 0 ? schedules[0](step) : schedules[active](step - boundaries[active - 1]);
  };
}

}  // namespace xg::optim::schedules
