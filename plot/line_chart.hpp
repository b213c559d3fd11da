#pragma once
// Line charts with several series, a linear or log y axis, and a legend.

#include <string>
#include <vector>

namespace xg::plot {

struct Series {
  std::string label;
  std::vector<double> x;
  std::vector<double> y;
  bool markers = false;
};

struct LineChartOptions {
  std::string title;
  std::string x_label;
  std::string y_label;
  bool log_y = false;  // values <= 0 are left out
  int width = 760;
  int height = 440;
};

// A self-contained SVG document. Throws std::invalid_argument when a series
// has more x than y values or the other way round.
std::string line_chart_svg(const std::vector<Series>& series, const LineChartOptions& options);

}  // namespace xg::plot
