#pragma once
// The pieces every chart writes: escaped text, a palette, the frame with
// ticks, and writing the file.

#include <sstream>
#include <string>
#include <vector>

#include <xgrad/plot/axis.hpp>

namespace xg::plot {

// Text safe inside SVG/XML.
std::string escape_xml(const std::string& text);
// The i-th series colour: Okabe-Ito, told apart by colour-blind readers too.
const char* series_colour(std::size_t i);
// The i-th series' stroke-dasharray: solid for the first 12, then dashed and
// dotted, so that series sharing a colour differ.
const char* series_dash(std::size_t i);
// A coordinate with two decimals, enough for pixels.
std::string px(double value);

struct Frame {
  int width, height;
  double left, top, plot_width, plot_height;
  std::string title, x_label, y_label;
};

// <svg> header, white background and title.
void begin_svg(std::ostringstream& svg, const Frame& frame);
// Grid lines and tick labels for both axes, the plot border and axis labels.
void draw_axes(std::ostringstream& svg, const Frame& frame, const Scale& x, const std::vector<double>& x_ticks,
               const Scale& y, const std::vector<double>& y_ticks);
// One legend row at `row` (0 first) right of the plot: a line, or a line
// with a marker, in `colour`.
void draw_legend_row(std::ostringstream& svg, const Frame& frame, std::size_t row, const std::string& label,
                     const std::string& colour, bool marker);

// Writes `text` to `path`, creating parent folders; throws naming the path.
void write_file(const std::string& path, const std::string& text);

}  // namespace xg::plot
