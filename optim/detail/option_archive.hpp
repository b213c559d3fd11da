#pragma once
// An optimizer option as archive entries: written by state_dict, read back
// and checked for its kind by load_state_dict.

#include <array>
#include <cmath>
#include <limits>
#include <optional>
#include <stdexcept>
#include <string>
#include <type_traits>
#include <utility>

#include <xgrad/core/archive.hpp>
#include <xgrad/core/message.hpp>
#include <xgrad/optim/detail/option_value_checks.hpp>

namespace xg::optim {

namespace detail {

template <class T>
void put_option(io::Archive& a, const std::string& key, const T& v) {
  if constexpr (std::is_same_v<T, double>) {
    a.put_number(key, v);
  } else if constexpr (std::is_same_v<T, bool>) {
    a.put_number(key, v ? 1 : 0);
  } else if constexpr (is_whole_number<T>) {
    a.put_integer(key, static_cast<std::int64_t>(v));
  } else if constexpr (std::is_enum_v<T>) {
    a.put_integer(key, static_cast<std::int64_t>(static_cast<std::underlying_type_t<T>>(v)));
  } else if constexpr (is_number_array<T>) {
    for (std::size_t i = 0; i < v.size(); ++i) a.put_number(key + "." + std::to_string(i), v[i]);
  } else {
    static_assert(std::is_same_v<T, std::optional<double>>);
    a.put_number(key + ".set", v ? 1 : 0);
    if (v) a.put_number(key, *v);
  }
}

// A saved count as text: "3", or the number as stored when it is no count.
inline std::string count_text(double n) {
  if (n >= 0 && n < 1e15 && n == std::floor(n)) return std::to_string(static_cast<std::size_t>(n));
  return number_text(n);
}

// A saved whole number that fits T, or an exception naming the key.
template <class T>
T get_whole_option(const io::Archive& a, const std::string& key) {
  std::int64_t x = 0;
  try {
    x = a.get_integer(key);
  } catch (const io::FormatError& e) {
    throw std::invalid_argument("load_state_dict: the option " + quoted_text(key) + ": " + e.what());
  }
  if (std::cmp_less(x, std::numeric_limits<T>::lowest()) || std::cmp_greater(x, std::numeric_limits<T>::max()))
    throw std::invalid_argument("load_state_dict: the option " + quoted_text(key) + " holds " + std::to_string(x) +
                                ", expected a whole number from " + std::to_string(std::numeric_limits<T>::lowest()) +
                                " to " + std::to_string(std::numeric_limits<T>::max()));
  return static_cast<T>(x);
}

template <class T>
void get_option(const io::Archive& a, const std::string& key, T& v) {
  if constexpr (std::is_same_v<T, double>) {
    v = a.get_number(key);
  } else if constexpr (std::is_same_v<T, bool>) {
    const double x = a.get_number(key);
    if (x != 0 && x != 1)
      throw std::invalid_argument("load_state_dict: the flag '" + key + "' holds " + count_text(x) +
                                  ", expected 0 or 1");
    v = x == 1;
  } else if constexpr (is_whole_number<T>) {
    v = get_whole_option<T>(a, key);
  } else if constexpr (std::is_enum_v<T>) {
    v = static_cast<T>(get_whole_option<std::underlying_type_t<T>>(a, key));
  } else if constexpr (is_number_array<T>) {
    for (std::size_t i = 0; i < v.size(); ++i) v[i] = a.get_number(key + "." + std::to_string(i));
  } else {
    static_assert(std::is_same_v<T, std::optional<double>>);
    bool set = false;
    get_option(a, key + ".set", set);
    v = set ? std::optional<double>(a.get_number(key)) : std::nullopt;
  }
}

}  // namespace detail

}  // namespace xg::optim
