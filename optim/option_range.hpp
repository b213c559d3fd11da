#pragma once
// The values an optimizer option may take. Options are checked when given,
// changed, loaded and before every step, so that a bad value fails loudly
// instead of turning the parameters into NaN.

#include <string>
#include <string_view>

namespace xg::optim {

enum class Range {
  finite,          // any finite number (SGD's dampening)
  non_negative,    // >= 0: lr, weight_decay, momentum, ...
  positive,        // > 0: eps, which keeps a denominator away from zero
  unit_closed,     // [0, 1]: rho, alpha
  unit_half_open,  // [0, 1): betas, as 1 would make a bias correction divide by zero
};

// Throws std::invalid_argument "<optimizer>: invalid <name> = <value> (must be
// ...)" unless `value` is finite and lies in `range`.
void check_option(const char* optimizer, std::string_view name, double value, Range range);

// Throws std::invalid_argument unless `value`, valid as a double, stays in
// `range` once rounded to the parameters' scalar type (`scalar_name`, e.g.
// "float32", whose largest finite value is `largest`): an lr of 1e300
// overflows float to Inf, an eps of 1e-300 underflows to 0, a beta of
// 1 - 1e-10 rounds to 1. `rounded` is the value after that rounding (any
// number when |value| > largest).
void check_option_rounded(const char* optimizer, std::string_view name, double value, double rounded, Range range,
                          const char* scalar_name, double largest);

}  // namespace xg::optim
