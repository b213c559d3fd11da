#include <doctest/doctest.h>

#include <cmath>

#include <xgrad/plot/plot.hpp>

using namespace xg::plot;

TEST_CASE("plot: contours of a paraboloid are circles of radius sqrt(level)") {
  const std::size_t n = 81;
  std::vector<double> values(n * n);
  for (std::size_t j = 0; j < n; ++j)
    for (std::size_t i = 0; i < n; ++i) {
      const double x = -2 + 4.0 * static_cast<double>(i) / (n - 1), y = -2 + 4.0 * static_cast<double>(j) / (n - 1);
      values[j * n + i] = x * x + y * y;
    }
  for (double level : {0.25, 1.0, 2.25}) {
    const auto segments = contour_segments(values, n, n, -2, 2, -2, 2, level);
    const double radius = std::sqrt(level);
    // A closed curve of length 2 pi r made of chords no longer than a cell's diagonal.
    CHECK(static_cast<double>(segments.size()) >= 2 * M_PI * radius / (4.0 / (n - 1) * std::sqrt(2.0)));
    for (const auto& s : segments) {
      // Linear interpolation of x^2 + y^2 along an edge of length h errs by at most h^2 / 4 in the level.
      const double h = 4.0 / (n - 1), tolerance = h * h / 4 / (2 * radius) + 1e-12;
      CHECK(std::abs(std::hypot(s.x0, s.y0) - radius) <= tolerance);
      CHECK(std::abs(std::hypot(s.x1, s.y1) - radius) <= tolerance);
    }
  }
}

TEST_CASE("plot: a level outside the values has no contour; a bad grid throws") {
  const std::vector<double> values{0, 1, 2, 3};
  CHECK(contour_segments(values, 2, 2, 0, 1, 0, 1, 5.0).empty());
  CHECK_THROWS_AS(contour_segments(values, 3, 2, 0, 1, 0, 1, 1.0), std::invalid_argument);
}

TEST_CASE("plot: contour levels are log-spaced above the minimum") {
  const auto levels = contour_levels(1.0, 101.0, 5);
  REQUIRE(levels.size() == 5);
  CHECK(levels.back() == doctest::Approx(101.0));
  CHECK(levels.front() == doctest::Approx(1.0 + 100 * 1e-4));
  for (std::size_t k = 1; k + 1 < levels.size(); ++k)  // equal ratios of f - f_min
    CHECK((levels[k + 1] - 1) / (levels[k] - 1) == doctest::Approx((levels[k] - 1) / (levels[k - 1] - 1)));
}

TEST_CASE("plot: ticks fall on 1, 2, 5 times powers of ten and cover the range") {
  CHECK(nice_ticks(0, 10, 5) == std::vector<double>{0, 2, 4, 6, 8, 10});
  CHECK(nice_ticks(-1.5, 2.0, 6) == std::vector<double>{-1, 0, 1, 2});  // a step of 0.5 would give 8 ticks
  CHECK(nice_ticks(0, 1000, 4) == std::vector<double>{0, 500, 1000});
  CHECK(log_ticks(0.01, 10) == std::vector<double>{0.01, 0.1, 1, 10});
  const auto dense = log_ticks(1, 100);
  CHECK(dense == std::vector<double>{1, 2, 5, 10, 20, 50, 100});
  CHECK(format_tick(0.5) == "0.5");
  CHECK(format_tick(1e-5) == "1e-05");
}

TEST_CASE("plot: log scale maps decades to equal distances") {
  const Scale s{1e-3, 1e1, 0, 400, true};
  CHECK(s(1e-3) == doctest::Approx(0));
  CHECK(s(1e-2) == doctest::Approx(100));
  CHECK(s(1) == doctest::Approx(300));
  CHECK(s(10) == doctest::Approx(400));
  const Scale linear{0, 10, 400, 0};  // flipped, as a y axis
  CHECK(linear(2.5) == doctest::Approx(300));
}

TEST_CASE("plot: labels are escaped and mismatched series rejected") {
  CHECK(escape_xml("a<b & \"c\" > 'd'") == "a&lt;b &amp; &quot;c&quot; &gt; &apos;d&apos;");
  const auto svg = line_chart_svg({{"loss <train>", {1, 2, 3}, {1.0, 0.5, 0.25}}}, {.title = "A & B", .log_y = true});
  CHECK(svg.find("loss &lt;train&gt;") != std::string::npos);
  CHECK(svg.find("A &amp; B") != std::string::npos);
  CHECK(svg.find("<train>") == std::string::npos);
  CHECK_THROWS_WITH_AS(line_chart_svg({{"s", {1, 2}, {1.0}}}, {}),
                       "line_chart_svg: series 's' has 2 x values but 1 y values", std::invalid_argument);
}

TEST_CASE("plot: a scatter draws a dot and an escaped label per finite point, inside the frame") {
  const auto svg = scatter_svg({{0, 0, "a<b"}, {2, 1, "good"}, {std::nan(""), 1, "lost"}}, {.title = "words"});
  CHECK(svg.find("a&lt;b") != std::string::npos);
  CHECK(svg.find(">good</text>") != std::string::npos);
  CHECK(svg.find("lost") == std::string::npos);
  std::size_t dots = 0;
  for (std::size_t at = svg.find("<circle"); at != std::string::npos; at = svg.find("<circle", at + 1)) ++dots;
  CHECK(dots == 2);
  // (0, 0) and (2, 1) are the extremes: with the 5 % margin, the first dot sits
  // 5/110 of the plot width right of its left edge (70 px, plot 800 px wide).
  CHECK(svg.find("<circle cx=\"" + px(70 + 800.0 * 0.1 / 2.2) + "\"") != std::string::npos);
  // One point alone, or none, still makes a document.
  CHECK(scatter_svg({{1, 1, "x"}}, {}).find("</svg>") != std::string::npos);
  CHECK(scatter_svg({}, {}).find("</svg>") != std::string::npos);
}
