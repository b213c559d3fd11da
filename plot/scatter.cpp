#include <xgrad/plot/scatter.hpp>

#include <algorithm>
#include <cmath>
#include <limits>

#include <xgrad/plot/svg.hpp>

namespace xg::plot {

std::string scatter_svg(const std::vector<LabelledPoint>& points, const ScatterOptions& o) {
  const double inf = std::numeric_limits<double>::infinity();
  double x_low = inf, x_high = -inf, y_low = inf, y_high = -inf;
  for (const auto& p : points)
    if (std::isfinite(p.x) && std::isfinite(p.y)) {
      x_low = std::min(x_low, p.x), x_high = std::max(x_high, p.x);
      y_low = std::min(y_low, p.y), y_high = std::max(y_high, p.y);
    }
  if (x_low > x_high) x_low = y_low = 0, x_high = y_high = 1;  // no finite point
  if (x_low == x_high) x_low -= 0.5, x_high += 0.5;
  if (y_low == y_high) y_low -= 0.5, y_high += 0.5;
  // A margin of 5 % keeps the outermost labels inside the frame.
  const double x_margin = 0.05 * (x_high - x_low), y_margin = 0.05 * (y_high - y_low);
  x_low -= x_margin, x_high += x_margin, y_low -= y_margin, y_high += y_margin;
  const Frame frame{o.width, o.height,  70,       40, o.width - 70.0 - 30, o.height - 40.0 - 60,
                    o.title, o.x_label, o.y_label};
  const Scale x{x_low, x_high, frame.left, frame.left + frame.plot_width};
  const Scale y{y_low, y_high, frame.top + frame.plot_height, frame.top};
  std::ostringstream svg;
  begin_svg(svg, frame);
  draw_axes(svg, frame, x, nice_ticks(x_low, x_high), y, nice_ticks(y_low, y_high));
  const std::string colour = series_colour(0);
  for (const auto& p : points) {
    if (!std::isfinite(p.x) || !std::isfinite(p.y)) continue;
    svg << "<circle cx=\"" << px(x(p.x)) << "\" cy=\"" << px(y(p.y)) << "\" r=\"2.5\" fill=\"" << colour << "\"/>\n"
        << "<text x=\"" << px(x(p.x) + 4) << "\" y=\"" << px(y(p.y) - 3)
        << "\" font-family=\"sans-serif\" font-size=\"11\" fill=\"#333\">" << escape_xml(p.label) << "</text>\n";
  }
  svg << "</svg>\n";
  return svg.str();
}

}  // namespace xg::plot
