#pragma once
// Axes of the charts: where ticks go and how values map to pixels.

#include <string>
#include <vector>

namespace xg::plot {

// Tick positions covering [low, high] at 1, 2 or 5 times a power of ten.
std::vector<double> nice_ticks(double low, double high, int target_count = 6);
// Powers of ten covering [low, high] (with 2x and 5x when they span at most
// two decades); both must be > 0.
std::vector<double> log_ticks(double low, double high);
// The shortest readable label for a tick value.
std::string format_tick(double value);

// Maps [low, high] (log10 of it when `log`) onto pixels [from, to].
struct Scale {
  double low, high, from, to;
  bool log = false;
  double operator()(double value) const;
};

}  // namespace xg::plot
