#include <xgrad/optim/option_range.hpp>

#include <charconv>
#include <cmath>
#include <stdexcept>

namespace xg::optim {

namespace {

const char* requirement(Range range) {
  switch (range) {
    case Range::finite: return "finite";
    case Range::non_negative: return ">= 0";
    case Range::positive: return "> 0";
    case Range::unit_closed: return "in [0, 1]";
    case Range::unit_half_open: return "in [0, 1)";
  }
  return "";
}

bool in_range(double v, Range range) {
  if (!std::isfinite(v)) return false;
  switch (range) {
    case Range::finite: return true;
    case Range::non_negative: return v >= 0;
    case Range::positive: return v > 0;
    case Range::unit_closed: return v >= 0 && v <= 1;
    case Range::unit_half_open: return v >= 0 && v < 1;
  }
  return false;
}

// The shortest text that reads back as `v` (1e-08, not 0.000000).
std::string shortest(double v) {
  char buf[32];
  auto [end, ec] = std::to_chars(buf, buf + sizeof buf, v);
  return std::string(buf, end);
}

}  // namespace

void check_option(const char* optimizer, std::string_view name, double value, Range range) {
  if (!in_range(value, range))
    throw std::invalid_argument(std::string(optimizer) + ": invalid " + std::string(name) + " = " + shortest(value) +
                                " (must be " + requirement(range) + ")");
}

void check_option_rounded(const char* optimizer, std::string_view name, double value, double rounded, Range range,
                          const char* scalar_name, double largest) {
  if (std::abs(value) > largest)
    throw std::invalid_argument(std::string(optimizer) + ": invalid " + std::string(name) + " = " + shortest(value) +
                                " for " + scalar_name + " parameters (it overflows " + scalar_name +
                                ", whose largest value is " + shortest(largest) + ")");
  if (!in_range(rounded, range))
    throw std::invalid_argument(std::string(optimizer) + ": invalid " + std::string(name) + " = " + shortest(value) +
                                " for " + scalar_name + " parameters (it rounds to " + shortest(rounded) + " in " +
                                scalar_name + ", and must be " + requirement(range) + ")");
}

}  // namespace xg::optim
