#include <xgrad/plot/contour.hpp>

#include <algorithm>
#include <cmath>
#include <stdexcept>

#include <xgrad/plot/svg.hpp>

namespace xg::plot {

std::vector<Segment> contour_segments(const std::vector<double>& v, std::size_t nx, std::size_t ny, double x_min,
                                      double x_max, double y_min, double y_max, double level) {
  if (nx < 2 || ny < 2 || v.size() != nx * ny)
    throw std::invalid_argument("contour_segments: needs a grid of at least 2 x 2 values, got " +
                                std::to_string(v.size()) + " values for " + std::to_string(nx) + " x " +
                                std::to_string(ny));
  const double dx = (x_max - x_min) / static_cast<double>(nx - 1), dy = (y_max - y_min) / static_cast<double>(ny - 1);
  std::vector<Segment> out;
  for (std::size_t j = 0; j + 1 < ny; ++j)
    for (std::size_t i = 0; i + 1 < nx; ++i) {
      // Corners counter-clockwise from the bottom left, and the edges between them.
      const double cx[4] = {x_min + static_cast<double>(i) * dx, x_min + static_cast<double>(i + 1) * dx,
                            x_min + static_cast<double>(i + 1) * dx, x_min + static_cast<double>(i) * dx};
      const double cy[4] = {y_min + static_cast<double>(j) * dy, y_min + static_cast<double>(j) * dy,
                            y_min + static_cast<double>(j + 1) * dy, y_min + static_cast<double>(j + 1) * dy};
      const double c[4] = {v[j * nx + i], v[j * nx + i + 1], v[(j + 1) * nx + i + 1], v[(j + 1) * nx + i]};
      double px[4], py[4];
      int n = 0;
      for (int e = 0; e < 4; ++e) {
        const double a = c[e] - level, b = c[(e + 1) % 4] - level;
        if (!std::isfinite(a) || !std::isfinite(b) || (a < 0) == (b < 0)) continue;
        const double t = a / (a - b);
        px[n] = cx[e] + t * (cx[(e + 1) % 4] - cx[e]);
        py[n] = cy[e] + t * (cy[(e + 1) % 4] - cy[e]);
        ++n;
      }
      if (n == 2) out.push_back({px[0], py[0], px[1], py[1]});
      if (n == 4) {
        // Crossings lie on edges 0..3 in order; the centre decides which pairs join.
        const bool centre_below = (c[0] + c[1] + c[2] + c[3]) / 4 - level < 0;
        const bool first_below = c[0] - level < 0;
        if (centre_below == first_below) {
          out.push_back({px[0], py[0], px[1], py[1]});
          out.push_back({px[2], py[2], px[3], py[3]});
        } else {
          out.push_back({px[0], py[0], px[3], py[3]});
          out.push_back({px[1], py[1], px[2], py[2]});
        }
      }
    }
  return out;
}

std::vector<double> contour_levels(double f_min, double f_max, int count) {
  std::vector<double> levels;
  if (count < 1 || !(f_max > f_min)) return levels;
  const double span = f_max - f_min, lowest = span * 1e-4;
  for (int k = 0; k < count; ++k) {
    const double t = count == 1 ? 1.0 : static_cast<double>(k) / (count - 1);
    levels.push_back(f_min + lowest * std::pow(span / lowest, t));
  }
  return levels;
}

namespace {
constexpr std::size_t max_markers_per_path = 150;
}

std::string contour_svg(const std::function<double(double, double)>& f, const std::vector<Path>& paths,
                        const ContourOptions& o) {
  if (!(o.x_max > o.x_min) || !(o.y_max > o.y_min) || o.grid < 2)
    throw std::invalid_argument("contour_svg: needs x_min < x_max, y_min < y_max and a grid of at least 2");
  const std::size_t n = o.grid;
  std::vector<double> values(n * n);
  double f_min = INFINITY, f_max = -INFINITY;
  for (std::size_t j = 0; j < n; ++j)
    for (std::size_t i = 0; i < n; ++i) {
      const double x = o.x_min + (o.x_max - o.x_min) * static_cast<double>(i) / static_cast<double>(n - 1);
      const double y = o.y_min + (o.y_max - o.y_min) * static_cast<double>(j) / static_cast<double>(n - 1);
      const double value = f(x, y);
      values[j * n + i] = value;
      if (std::isfinite(value)) f_min = std::min(f_min, value), f_max = std::max(f_max, value);
    }

  const Frame frame{o.width, o.height,  70,       40, o.width - 70.0 - 200, o.height - 40.0 - 60,
                    o.title, o.x_label, o.y_label};
  const Scale x{o.x_min, o.x_max, frame.left, frame.left + frame.plot_width};
  const Scale y{o.y_min, o.y_max, frame.top + frame.plot_height, frame.top};
  std::ostringstream svg;
  begin_svg(svg, frame);
  svg << "<defs><clipPath id=\"plot-area\"><rect x=\"" << px(frame.left) << "\" y=\"" << px(frame.top) << "\" width=\""
      << px(frame.plot_width) << "\" height=\"" << px(frame.plot_height) << "\"/></clipPath></defs>\n";
  draw_axes(svg, frame, x, nice_ticks(o.x_min, o.x_max), y, nice_ticks(o.y_min, o.y_max));

  const auto levels = contour_levels(f_min, f_max, o.levels);
  svg << "<g clip-path=\"url(#plot-area)\" fill=\"none\" stroke-width=\"1\">\n";
  for (std::size_t k = 0; k < levels.size(); ++k) {
    // From dark slate at the bottom of the valley to pale grey on the walls.
    const double t = levels.size() == 1 ? 0 : static_cast<double>(k) / static_cast<double>(levels.size() - 1);
    const int shade = static_cast<int>(70 + 140 * t);
    svg << "<path stroke=\"rgb(" << shade - 20 << ',' << shade << ',' << shade + 30 << ")\" d=\"";
    for (const auto& s : contour_segments(values, n, n, o.x_min, o.x_max, o.y_min, o.y_max, levels[k]))
      svg << 'M' << px(x(s.x0)) << ' ' << px(y(s.y0)) << 'L' << px(x(s.x1)) << ' ' << px(y(s.y1));
    svg << "\"/>\n";
  }
  for (std::size_t p = 0; p < paths.size(); ++p) {
    const auto& path = paths[p];
    const std::string colour = series_colour(p);
    svg << "<polyline stroke=\"" << colour << "\" stroke-dasharray=\"" << series_dash(p)
        << "\" stroke-width=\"2\" stroke-opacity=\"0.9\" points=\"";
    for (std::size_t k = 0; k < std::min(path.x.size(), path.y.size()); ++k)
      if (std::isfinite(path.x[k]) && std::isfinite(path.y[k]))
        svg << px(x(path.x[k])) << ',' << px(y(path.y[k])) << ' ';
    svg << "\"/>\n";
    // A marker per step shows the step sizes; a long path gets one every few
    // steps so that its markers do not merge into a thick line.
    const std::size_t points = std::min(path.x.size(), path.y.size()), stride = 1 + points / max_markers_per_path;
    for (std::size_t k = 0; k < points; k += stride)
      if (std::isfinite(path.x[k]) && std::isfinite(path.y[k]))
        svg << "<circle cx=\"" << px(x(path.x[k])) << "\" cy=\"" << px(y(path.y[k])) << "\" r=\"1.8\" fill=\"" << colour
            << "\"/>\n";
  }
  if (!paths.empty() && !paths[0].x.empty())
    svg << "<rect x=\"" << px(x(paths[0].x[0]) - 5) << "\" y=\"" << px(y(paths[0].y[0]) - 5)
        << "\" width=\"10\" height=\"10\" fill=\"white\" stroke=\"black\" stroke-width=\"2\"/>\n";
  if (o.minimum)
    svg << "<text x=\"" << px(x((*o.minimum)[0])) << "\" y=\"" << px(y((*o.minimum)[1]) + 7)
        << "\" text-anchor=\"middle\" font-size=\"22\" fill=\"#111\" stroke=\"white\" stroke-width=\"0.8\">&#9733;"
        << "</text>\n";
  svg << "</g>\n";
  for (std::size_t p = 0; p < paths.size(); ++p) draw_legend_row(svg, frame, p, paths[p].label, series_colour(p), true);
  const double legend_y = frame.top + 10 + 20.0 * static_cast<double>(paths.size()) + 8;
  const double legend_x = frame.left + frame.plot_width + 14;
  svg << "<rect x=\"" << px(legend_x + 7) << "\" y=\"" << px(legend_y - 5)
      << "\" width=\"10\" height=\"10\" fill=\"white\" stroke=\"black\" stroke-width=\"2\"/>\n<text x=\""
      << px(legend_x + 30) << "\" y=\"" << px(legend_y + 4) << "\">start</text>\n";
  if (o.minimum)
    svg << "<text x=\"" << px(legend_x + 12) << "\" y=\"" << px(legend_y + 27)
        << "\" text-anchor=\"middle\" font-size=\"18\">&#9733;</text><text x=\"" << px(legend_x + 30) << "\" y=\""
        << px(legend_y + 24) << "\">minimum</text>\n";
  svg << "</svg>\n";
  return svg.str();
}

}  // namespace xg::plot
