#include <xgrad/plot/svg.hpp>

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <stdexcept>

namespace xg::plot {

std::string escape_xml(const std::string& text) {
  std::string out;
  for (char c : text) switch (c) {
      case '&': out += "&amp;"; break;
      case '<': out += "&lt;"; break;
      case '>': out += "&gt;"; break;
      case '"': out += "&quot;"; break;
      case '\'': out += "&apos;"; break;
      default: out += c;
    }
  return out;
}

const char* series_colour(std::size_t i) {
  static const char* const palette[] = {"#0072B2", "#D55E00", "#009E73", "#CC79A7", "#E69F00", "#56B4E9",
                                        "#000000", "#882255", "#999933", "#44AA99", "#AA4499", "#661100"};
  return palette[i % std::size(palette)];
}

const char* series_dash(std::size_t i) {
  static const char* const dashes[] = {"none", "8 4", "2 3"};
  return dashes[i / 12 % std::size(dashes)];
}

std::string px(double value) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.2f", value);
  return buf;
}

void begin_svg(std::ostringstream& svg, const Frame& f) {
  svg << "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"" << f.width << "\" height=\"" << f.height
      << "\" viewBox=\"0 0 " << f.width << ' ' << f.height
      << "\" font-family=\"Helvetica, Arial, sans-serif\" font-size=\"12\">\n"
      << "<rect width=\"100%\" height=\"100%\" fill=\"white\"/>\n"
      << "<text x=\"" << px(f.left + f.plot_width / 2) << "\" y=\"24\" text-anchor=\"middle\" font-size=\"15\" "
      << "font-weight=\"bold\">" << escape_xml(f.title) << "</text>\n";
}

void draw_axes(std::ostringstream& svg, const Frame& f, const Scale& x, const std::vector<double>& x_ticks,
               const Scale& y, const std::vector<double>& y_ticks) {
  const double bottom = f.top + f.plot_height, right = f.left + f.plot_width;
  for (double t : x_ticks)
    svg << "<line x1=\"" << px(x(t)) << "\" y1=\"" << px(f.top) << "\" x2=\"" << px(x(t)) << "\" y2=\"" << px(bottom)
        << "\" stroke=\"#000\" stroke-opacity=\"0.1\"/>\n<text x=\"" << px(x(t)) << "\" y=\"" << px(bottom + 17)
        << "\" text-anchor=\"middle\">" << escape_xml(format_tick(t)) << "</text>\n";
  for (double t : y_ticks)
    svg << "<line x1=\"" << px(f.left) << "\" y1=\"" << px(y(t)) << "\" x2=\"" << px(right) << "\" y2=\"" << px(y(t))
        << "\" stroke=\"#000\" stroke-opacity=\"0.1\"/>\n<text x=\"" << px(f.left - 6) << "\" y=\"" << px(y(t) + 4)
        << "\" text-anchor=\"end\">" << escape_xml(format_tick(t)) << "</text>\n";
  svg << "<rect x=\"" << px(f.left) << "\" y=\"" << px(f.top) << "\" width=\"" << px(f.plot_width) << "\" height=\""
      << px(f.plot_height) << "\" fill=\"none\" stroke=\"#333\"/>\n"
      << "<text x=\"" << px(f.left + f.plot_width / 2) << "\" y=\"" << px(bottom + 40) << "\" text-anchor=\"middle\">"
      << escape_xml(f.x_label) << "</text>\n"
      << "<text transform=\"translate(16," << px(f.top + f.plot_height / 2) << ") rotate(-90)\" text-anchor=\"middle\">"
      << escape_xml(f.y_label) << "</text>\n";
}

void draw_legend_row(std::ostringstream& svg, const Frame& f, std::size_t row, const std::string& label,
                     const std::string& colour, bool marker) {
  const double x = f.left + f.plot_width + 14, y = f.top + 10 + 20.0 * static_cast<double>(row);
  svg << "<line x1=\"" << px(x) << "\" y1=\"" << px(y) << "\" x2=\"" << px(x + 24) << "\" y2=\"" << px(y)
      << "\" stroke=\"" << colour << "\" stroke-dasharray=\"" << series_dash(row) << "\" stroke-width=\"3\"/>\n";
  if (marker)
    svg << "<circle cx=\"" << px(x + 12) << "\" cy=\"" << px(y) << "\" r=\"3.5\" fill=\"" << colour << "\"/>\n";
  svg << "<text x=\"" << px(x + 30) << "\" y=\"" << px(y + 4) << "\">" << escape_xml(label) << "</text>\n";
}

void write_file(const std::string& path, const std::string& text) {
  const auto parent = std::filesystem::path(path).parent_path();
  std::error_code ec;
  if (!parent.empty()) std::filesystem::create_directories(parent, ec);
  std::ofstream out(path, std::ios::binary);
  out << text;
  out.close();
  if (!out) throw std::runtime_error("cannot write " + path + (ec ? " (" + ec.message() + ")" : std::string()));
}

}  // namespace xg::plot
