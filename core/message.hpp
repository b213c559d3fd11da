#pragma once
// The pieces of error messages that show data: text from a file, and the
// first element of an array that is not finite.

#include <cmath>
#include <cstddef>
#include <optional>
#include <string>
#include <string_view>

#include <xgrad/core/array.hpp>

namespace xg {

// Text that came from a file (a parameter name, a field, a schedule's type),
// as it may appear in an error message: in quotes, with every byte outside
// printable ASCII, and the quote and backslash, written \xNN (so a terminal
// escape, a NUL or a newline cannot garble or cut the message), and at most
// the first 200 bytes, then the full length: 'layer\x1b[2J' or
// 'aaaa...'... (10485760 bytes).
inline constexpr std::size_t quoted_text_max_bytes = 200;

std::string quoted_text(std::string_view text);

// A number as a message shows it: "0.1", "1e-08", "-inf", where
// std::to_string would print "0.000000" for a small learning rate.
std::string number_text(double value);

// The flat index of the first NaN or Inf in `a`, if any.
template <class Scalar>
std::optional<std::size_t> first_non_finite(const Array<Scalar>& a) {
  const Scalar* data = a.data();
  for (std::size_t i = 0, n = a.size(); i < n; ++i)
    if (!std::isfinite(data[i])) return i;
  return std::nullopt;
}

// "NaN at flat index 3" (or Inf, -Inf) for the element at `index`.
template <class Scalar>
std::string describe_element(const Array<Scalar>& a, std::size_t index) {
  const Scalar v = a.data()[index];
  return std::string(std::isnan(v) ? "NaN" : v > 0 ? "Inf" : "-Inf") + " at flat index " + std::to_string(index);
}

}  // namespace xg
