#pragma once
// How an optimizer checks one option's value, whatever its kind, in the
// parameters' scalar type.

#include <array>
#include <cmath>
#include <limits>
#include <optional>
#include <string>
#include <type_traits>

#include <xgrad/optim/option_range.hpp>

namespace xg::optim {

namespace detail {

template <class T>
inline constexpr bool is_number_array = false;
template <std::size_t N>
inline constexpr bool is_number_array<std::array<double, N>> = true;

template <class T>
inline constexpr bool is_whole_number = std::is_integral_v<T> && !std::is_same_v<T, bool>;

// A number checked as a double, then as the parameters' scalar type holds it.
template <class Scalar>
void check_number(const char* optimizer, std::string_view name, double value, Range range) {
  check_option(optimizer, name, value, range);
  constexpr double largest = std::numeric_limits<Scalar>::max();
  // Rounded only when in range: converting a larger double to float is undefined.
  const double rounded = std::abs(value) > largest ? value : static_cast<double>(static_cast<Scalar>(value));
  check_option_rounded(optimizer, name, value, rounded, range, std::is_same_v<Scalar, float> ? "float32" : "float64",
                       largest);
}

// The kinds of option an optimizer may have: numbers, fixed-size lists of
// numbers (betas), whole numbers (LBFGS's max_iter), numbers that may be
// unset (Adafactor's eps1), flags, and enumerations (Muon's adjust_lr_fn),
// whose values the optimizer's check_constraints validates. Numbers must stay
// valid in the parameters' scalar type, in which the update computes.
template <class Scalar, class T>
void check_option_value(const char* optimizer, const char* name, const T& value, Range range) {
  if constexpr (std::is_same_v<T, double>) {
    check_number<Scalar>(optimizer, name, value, range);
  } else if constexpr (is_whole_number<T>) {
    check_option(optimizer, name, static_cast<double>(value), range);
  } else if constexpr (is_number_array<T>) {
    for (std::size_t i = 0; i < value.size(); ++i)
      check_number<Scalar>(optimizer, std::string(name) + "[" + std::to_string(i) + "]", value[i], range);
  } else if constexpr (std::is_same_v<T, std::optional<double>>) {
    if (value) check_number<Scalar>(optimizer, name, *value, range);
  } else {
    static_assert(std::is_same_v<T, bool> || std::is_enum_v<T>,
                  "options are numbers, lists of numbers, whole numbers, optional numbers, flags or enumerations");
  }
}

}  // namespace detail

}  // namespace xg::optim
