#pragma once
// Scatter plots of labelled points: a dot and its label per point (words of
// an embedding projected to 2-D, for instance).

#include <string>
#include <vector>

namespace xg::plot {

struct LabelledPoint {
  double x, y;
  std::string label;
};

struct ScatterOptions {
  std::string title;
  std::string x_label;
  std::string y_label;
  int width = 900;
  int height = 700;
};

// A self-contained SVG document. Non-finite points are left out.
std::string scatter_svg(const std::vector<LabelledPoint>& points, const ScatterOptions& options);

}  // namespace xg::plot
