#pragma once
// The values an optimizer option may take. Options are checked when given,
// changed, loaded and before every step, so that a bad value fails loudly
// instead of turning the parameters into NaN.

#include <string>

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
void check_option(const char* optimizer, const std::string& name, double value, Range range);

}  // namespace xg::optim
