#include <xgrad/plot/axis.hpp>

#include <cmath>
#include <cstdio>

namespace xg::plot {

std::vector<double> nice_ticks(double low, double high, int target_count) {
  if (!(high > low)) return {low};
  const double raw = (high - low) / std::max(1, target_count);
  const double magnitude = std::pow(10.0, std::floor(std::log10(raw)));
  double step = 10 * magnitude;
  for (double m : {1.0, 2.0, 5.0})
    if (m * magnitude >= raw) {
      step = m * magnitude;
      break;
    }
  std::vector<double> ticks;
  for (double k = std::ceil(low / step - 1e-9); k * step <= high + step * 1e-9; k += 1) {
    const double t = k * step;
    ticks.push_back(std::abs(t) < step * 1e-9 ? 0.0 : t);
  }
  return ticks;
}

std::vector<double> log_ticks(double low, double high) {
  std::vector<double> ticks;
  if (!(low > 0) || !(high >= low)) return ticks;
  const int first = static_cast<int>(std::floor(std::log10(low) + 1e-9));
  const int last = static_cast<int>(std::ceil(std::log10(high) - 1e-9));
  const bool dense = last - first <= 2;
  for (int e = first; e <= last; ++e)
    for (double m : {1.0, 2.0, 5.0}) {
      if (m != 1.0 && !dense) continue;
      const double t = m * std::pow(10.0, e);
      if (t >= low * (1 - 1e-9) && t <= high * (1 + 1e-9)) ticks.push_back(t);
    }
  return ticks;
}

std::string format_tick(double value) {
  if (value == 0) return "0";
  char buf[32];
  const double a = std::abs(value);
  std::snprintf(buf, sizeof buf, a >= 1e5 || a < 1e-3 ? "%.0e" : "%g", value);
  return buf;
}

double Scale::operator()(double value) const {
  const double t =
      log ? (std::log10(value) - std::log10(low)) / (std::log10(high) - std::log10(low)) : (value - low) / (high - low);
  return from + t * (to - from);
}

}  // namespace xg::plot
