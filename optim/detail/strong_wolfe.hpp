#pragma once
// The strong-Wolfe line search of L-BFGS and the cubic interpolation it
// steps with.

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <optional>
#include <tuple>
#include <utility>
#include <vector>

#include <xgrad/optim/detail/flat_vector.hpp>

namespace xg::optim::detail {

// The minimizer of the cubic through (x1, f1) and (x2, f2) with slopes g1
// and g2, clamped to `bounds` (by default the interval between x1 and x2);
// the bounds' midpoint when the cubic has no minimum. torch.optim.lbfgs's
// _cubic_interpolate, after polyinterp.lua of torch7's optim (Nocedal &
// Wright, "Numerical Optimization", 2006, eq. 3.59).
inline double cubic_interpolate(double x1, double f1, double g1, double x2, double f2, double g2,
                                std::optional<std::pair<double, double>> bounds = std::nullopt) {
  const auto [low, high] = bounds ? *bounds : (x1 <= x2 ? std::pair{x1, x2} : std::pair{x2, x1});
  const double d1 = g1 + g2 - 3 * (f1 - f2) / (x1 - x2);
  const double d2_square = d1 * d1 - g1 * g2;
  if (d2_square < 0) return (low + high) / 2;
  const double d2 = std::sqrt(d2_square);
  const double min_pos = x1 <= x2 ? x2 - (x2 - x1) * ((g2 + d2 - d1) / (g2 - g1 + 2 * d2))
                                  : x1 - (x1 - x2) * ((g1 + d2 - d1) / (g1 - g2 + 2 * d2));
  return std::min(std::max(min_pos, low), high);
}

template <class Scalar>
struct LineSearchResult {
  double loss;
  std::vector<Scalar> grad;
  double t;
  std::int64_t evals;
};

// A step length t along d satisfying the strong Wolfe conditions
// f(x + td) ≤ f + c1·t·gᵀd and |∇f(x + td)ᵀd| ≤ c2·|gᵀd|, by bracketing
// then zooming with cubic interpolation (Nocedal & Wright, Algorithms 3.5
// and 3.6), as torch.optim.lbfgs's _strong_wolfe does it, itself after
// lswolfe.lua of torch7's optim. `evaluate(t)` returns the loss and the
// gradient at x + td.
template <class Scalar, class Evaluate>
LineSearchResult<Scalar> strong_wolfe(Evaluate evaluate, double t, const std::vector<Scalar>& d, double f,
                                      const std::vector<Scalar>& g, double gtd, double tolerance_change,
                                      double c1 = 1e-4, double c2 = 0.9, std::int64_t max_ls = 25) {
  using Flat = std::vector<Scalar>;
  const double d_norm = max_abs(d);
  auto [f_new, g_new] = evaluate(t);
  std::int64_t evals = 1;
  double gtd_new = dot(g_new, d);

  // Bracket an interval holding a point that satisfies the conditions.
  double t_prev = 0, f_prev = f, gtd_prev = gtd;
  Flat g_prev = g;
  bool done = false;
  std::int64_t ls_iter = 0;
  std::vector<double> bracket, bracket_f, bracket_gtd;
  std::vector<Flat> bracket_g;
  while (ls_iter < max_ls) {
    if (f_new > f + c1 * t * gtd || (ls_iter > 1 && f_new >= f_prev)) {
      bracket = {t_prev, t}, bracket_f = {f_prev, f_new}, bracket_g = {g_prev, g_new},
      bracket_gtd = {gtd_prev, gtd_new};
      break;
    }
    if (std::abs(gtd_new) <= -c2 * gtd) {
      bracket = {t}, bracket_f = {f_new}, bracket_g = {g_new};
      done = true;
      break;
    }
    if (gtd_new >= 0) {
      bracket = {t_prev, t}, bracket_f = {f_prev, f_new}, bracket_g = {g_prev, g_new},
      bracket_gtd = {gtd_prev, gtd_new};
      break;
    }
    const double min_step = t + 0.01 * (t - t_prev), max_step = t * 10;
    const double previous = t;
    t = cubic_interpolate(t_prev, f_prev, gtd_prev, t, f_new, gtd_new, std::pair{min_step, max_step});
    t_prev = previous, f_prev = f_new, g_prev = g_new, gtd_prev = gtd_new;
    std::tie(f_new, g_new) = evaluate(t);
    ++evals;
    gtd_new = dot(g_new, d);
    ++ls_iter;
  }
  if (ls_iter == max_ls) bracket = {0, t}, bracket_f = {f, f_new}, bracket_g = {g, g_new};

  // Zoom: shrink the bracket until a point satisfies the conditions.
  bool insufficient_progress = false;
  std::size_t low = bracket_f[0] <= bracket_f.back() ? 0 : 1, high = 1 - low;
  while (!done && ls_iter < max_ls) {
    if (std::abs(bracket[1] - bracket[0]) * d_norm < tolerance_change) break;
    t = cubic_interpolate(bracket[0], bracket_f[0], bracket_gtd[0], bracket[1], bracket_f[1], bracket_gtd[1]);
    // Near an end of the bracket twice in a row, or outside it: try 10% of
    // its length inside the nearer end instead.
    const double top = std::max(bracket[0], bracket[1]), bottom = std::min(bracket[0], bracket[1]);
    const double margin = 0.1 * (top - bottom);
    if (std::min(top - t, t - bottom) < margin) {
      if (insufficient_progress || t >= top || t <= bottom) {
        t = std::abs(t - top) < std::abs(t - bottom) ? top - margin : bottom + margin;
        insufficient_progress = false;
      } else {
        insufficient_progress = true;
      }
    } else {
      insufficient_progress = false;
    }
    std::tie(f_new, g_new) = evaluate(t);
    ++evals;
    gtd_new = dot(g_new, d);
    ++ls_iter;
    if (f_new > f + c1 * t * gtd || f_new >= bracket_f[low]) {
      bracket[high] = t, bracket_f[high] = f_new, bracket_g[high] = g_new, bracket_gtd[high] = gtd_new;
      low = bracket_f[0] <= bracket_f[1] ? 0 : 1, high = 1 - low;
    } else {
      if (std::abs(gtd_new) <= -c2 * gtd) {
        done = true;
      } else if (gtd_new * (bracket[high] - bracket[low]) >= 0) {
        bracket[high] = bracket[low], bracket_f[high] = bracket_f[low], bracket_g[high] = bracket_g[low],
        bracket_gtd[high] = bracket_gtd[low];
      }
      bracket[low] = t, bracket_f[low] = f_new, bracket_g[low] = g_new, bracket_gtd[low] = gtd_new;
    }
  }
  return {bracket_f[low], std::move(bracket_g[low]), bracket[low], evals};
}

}  // namespace xg::optim::detail
