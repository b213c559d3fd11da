#pragma once
// Contour maps of a function of two variables, with optimizer paths drawn
// over them.

#include <array>
#include <functional>
#include <optional>
#include <string>
#include <vector>

namespace xg::plot {

struct Segment {
  double x0, y0, x1, y1;
};

// The pieces of the level set {f = level} on a grid of `values` sampled at
// nx x ny points spanning [x_min, x_max] x [y_min, y_max] (row j holds
// y = y_min + j * dy), by marching squares with linear interpolation along
// cell edges; a saddle cell is split by the value at its centre.
std::vector<Segment> contour_segments(const std::vector<double>& values, std::size_t nx, std::size_t ny, double x_min,
                                      double x_max, double y_min, double y_max, double level);

// `count` levels from just above f_min to f_max, spaced evenly in
// log(f - f_min): a valley's floor gets as many lines as its walls.
std::vector<double> contour_levels(double f_min, double f_max, int count);

struct Path {
  std::string label;
  std::vector<double> x;
  std::vector<double> y;
};

struct ContourOptions {
  std::string title;
  std::string x_label = "x";
  std::string y_label = "y";
  double x_min = -1, x_max = 1, y_min = -1, y_max = 1;
  int levels = 14;
  std::size_t grid = 140;  // samples along each axis
  int width = 820;
  int height = 620;
  std::optional<std::array<double, 2>> minimum;  // marked with a star
};

// A self-contained SVG: the contour lines of `f` (darker is lower), every
// path as a coloured polyline with small markers (at most 150 per path,
// evenly spread; clipped to the plot), its
// start as a square, the minimum as a star, a legend and axis ticks.
std::string contour_svg(const std::function<double(double, double)>& f, const std::vector<Path>& paths,
                        const ContourOptions& options);

}  // namespace xg::plot
