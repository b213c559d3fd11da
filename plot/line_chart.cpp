#include <xgrad/plot/line_chart.hpp>

#include <algorithm>
#include <cmath>
#include <limits>
#include <stdexcept>

#include <xgrad/plot/svg.hpp>

namespace xg::plot {

namespace {
struct Extent {
  double low = std::numeric_limits<double>::infinity();
  double high = -std::numeric_limits<double>::infinity();
  void add(double v) {
    if (std::isfinite(v)) low = std::min(low, v), high = std::max(high, v);
  }
  void pad(double fraction) {
    const double margin = fraction * (high - low);
    low -= margin, high += margin;
  }
};
}  // namespace

std::string line_chart_svg(const std::vector<Series>& series, const LineChartOptions& o) {
  Extent xe, ye;
  for (const auto& s : series) {
    if (s.x.size() != s.y.size())
      throw std::invalid_argument("line_chart_svg: series '" + s.label + "' has " + std::to_string(s.x.size()) +
                                  " x values but " + std::to_string(s.y.size()) + " y values");
    for (double v : s.x) xe.add(v);
    for (double v : s.y)
      if (!o.log_y || v > 0) ye.add(v);
  }
  if (!(xe.low <= xe.high)) xe = {0, 1};
  if (!(ye.low <= ye.high)) ye = o.log_y ? Extent{1, 10} : Extent{0, 1};
  if (xe.high == xe.low) xe.high = xe.low + 1;
  if (ye.high == ye.low) ye = o.log_y ? Extent{ye.low / 2, ye.high * 2} : Extent{ye.low - 0.5, ye.high + 0.5};

  // A linear axis reaches 4 % beyond the data, so that a curve lying on its
  // extreme value is not hidden by the frame; a log axis spans whole decades.
  xe.pad(0.04);
  std::vector<double> y_ticks;
  if (o.log_y) {
    ye = {std::pow(10.0, std::floor(std::log10(ye.low))), std::pow(10.0, std::ceil(std::log10(ye.high)))};
    y_ticks = log_ticks(ye.low, ye.high);
  } else {
    ye.pad(0.04);
    y_ticks = nice_ticks(ye.low, ye.high);
  }
  const std::vector<double> x_ticks = nice_ticks(xe.low, xe.high);

  // The legend sits right of the plot and is as wide as its longest label.
  std::size_t longest = 0;
  for (const auto& s : series) longest = std::max(longest, s.label.size());
  const double legend = 60 + 6.8 * static_cast<double>(longest), left = 70, min_plot = 560;
  const int width = std::max(o.width, static_cast<int>(left + min_plot + legend));
  const Frame frame{width,   o.height,  left,     40, width - left - legend, o.height - 40.0 - 60,
                    o.title, o.x_label, o.y_label};
  const Scale x{xe.low, xe.high, frame.left, frame.left + frame.plot_width};
  const Scale y{ye.low, ye.high, frame.top + frame.plot_height, frame.top, o.log_y};
  std::ostringstream svg;
  begin_svg(svg, frame);
  draw_axes(svg, frame, x, x_ticks, y, y_ticks);
  for (std::size_t i = 0; i < series.size(); ++i) {
    const auto& s = series[i];
    const std::string colour = series_colour(i);
    auto visible = [&](std::size_t j) { return std::isfinite(s.y[j]) && (!o.log_y || s.y[j] > 0); };
    svg << "<polyline fill=\"none\" stroke=\"" << colour << "\" stroke-dasharray=\"" << series_dash(i)
        << "\" stroke-width=\"2\" points=\"";
    for (std::size_t j = 0; j < s.x.size(); ++j)
      if (visible(j)) svg << px(x(s.x[j])) << ',' << px(y(s.y[j])) << ' ';
    svg << "\"/>\n";
    if (s.markers)
      for (std::size_t j = 0; j < s.x.size(); ++j)
        if (visible(j))
          svg << "<circle cx=\"" << px(x(s.x[j])) << "\" cy=\"" << px(y(s.y[j])) << "\" r=\"2.5\" fill=\"" << colour
              << "\"/>\n";
    draw_legend_row(svg, frame, i, s.label, colour, s.markers);
  }
  svg << "</svg>\n";
  return svg.str();
}

}  // namespace xg::plot
