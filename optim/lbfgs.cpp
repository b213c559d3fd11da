#include <xgrad/optim/lbfgs.hpp>

#include <algorithm>
#include <cmath>
#include <stdexcept>
#include <unordered_set>
#include <utility>

#include <xgrad/core/error.hpp>
#include <xgrad/optim/optimizer_impl.hpp>

namespace xg::optim {

namespace {

template <class Scalar>
double dot(const std::vector<Scalar>& a, const std::vector<Scalar>& b) {
  double sum = 0;
  for (std::size_t i = 0; i < a.size(); ++i) sum += static_cast<double>(a[i]) * static_cast<double>(b[i]);
  return sum;
}

template <class Scalar>
double max_abs(const std::vector<Scalar>& a) {
  double m = 0;
  for (Scalar v : a) m = std::max(m, std::abs(static_cast<double>(v)));
  return m;
}

// The minimizer of the cubic through (x1, f1) and (x2, f2) with slopes g1
// and g2, clamped to `bounds` (by default the interval between x1 and x2);
// the bounds' midpoint when the cubic has no minimum. torch.optim.lbfgs's
// _cubic_interpolate, after polyinterp.lua of torch7's optim (Nocedal &
// Wright, "Numerical Optimization", 2006, eq. 3.59).
double cubic_interpolate(double x1, double f1, double g1, double x2, double f2, double g2,
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
      bracket = {t_prev, t}, bracket_f = {f_prev, f_new}, bracket_g = {g_prev, g_new}, bracket_gtd = {gtd_prev, gtd_new};
      break;
    }
    if (std::abs(gtd_new) <= -c2 * gtd) {
      bracket = {t}, bracket_f = {f_new}, bracket_g = {g_new};
      done = true;
      break;
    }
    if (gtd_new >= 0) {
      bracket = {t_prev, t}, bracket_f = {f_prev, f_new}, bracket_g = {g_prev, g_new}, bracket_gtd = {gtd_prev, gtd_new};
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

}  // namespace

namespace {

void check_options(const LBFGSOptions& o) {
  check_option("LBFGS", "lr", o.lr, Range::non_negative);
  check_option("LBFGS", "max_iter", static_cast<double>(o.max_iter), Range::positive);
  if (o.max_eval) check_option("LBFGS", "max_eval", static_cast<double>(*o.max_eval), Range::positive);
  check_option("LBFGS", "tolerance_grad", o.tolerance_grad, Range::non_negative);
  check_option("LBFGS", "tolerance_change", o.tolerance_change, Range::non_negative);
  check_option("LBFGS", "history_size", static_cast<double>(o.history_size), Range::positive);
  if (o.line_search_fn != LBFGSLineSearch::none && o.line_search_fn != LBFGSLineSearch::strong_wolfe)
    throw std::invalid_argument("LBFGS: invalid line_search_fn = " +
                                std::to_string(static_cast<int>(o.line_search_fn)) +
                                " (must be none or strong_wolfe)");
}

// The options in PyTorch's order, for state_dict and load_state_dict.
template <class Options, class Visit>
void for_each_option(Options& o, Visit&& visit) {
  visit("lr", o.lr);
  visit("max_iter", o.max_iter);
  visit("tolerance_grad", o.tolerance_grad);
  visit("tolerance_change", o.tolerance_change);
  visit("history_size", o.history_size);
  visit("line_search_fn", o.line_search_fn);
}

template <class Scalar>
Array<Scalar> to_array(const std::vector<Scalar>& v) {
  Array<Scalar> a = Array<Scalar>::from_shape({v.size()});
  std::copy(v.begin(), v.end(), a.begin());
  return a;
}

}  // namespace

template <class Scalar>
LBFGS<Scalar>::LBFGS(std::vector<BasicTensor<Scalar>> params, LBFGSOptions options)
    : params_(std::move(params)), options_(options) {
  check_parameters();
}

template <class Scalar>
LBFGS<Scalar>::LBFGS(NamedTensors<Scalar> params, LBFGSOptions options) : options_(options) {
  for (auto& [name, tensor] : params) {
    names_.push_back(std::move(name));
    params_.push_back(std::move(tensor));
  }
  check_parameters();
}

template <class Scalar>
void LBFGS<Scalar>::check_parameters() {
  if (params_.empty()) throw std::invalid_argument("LBFGS: got an empty parameter list");
  check_options(options_);
  std::unordered_set<const Node<Scalar>*> seen;
  std::unordered_set<std::string> seen_names;
  for (std::size_t i = 0; i < params_.size(); ++i) {
    const std::string which = names_.empty() ? "parameter " + std::to_string(i) : "parameter '" + names_[i] + "'";
    if (!params_[i].defined()) throw std::invalid_argument("LBFGS: " + which + " is an undefined tensor");
    if (!params_[i].is_leaf())
      throw std::invalid_argument("LBFGS: " + which + " is not a leaf (it comes from '" + params_[i].op() +
                                  "'); optimize the leaf it was computed from");
    if (!seen.insert(params_[i].node().get()).second)
      throw std::invalid_argument("LBFGS: " + which + " appears more than once");
    if (!names_.empty() && !seen_names.insert(names_[i]).second)
      throw std::invalid_argument("LBFGS: the name '" + names_[i] + "' is given to more than one parameter");
    numel_ += params_[i].value().size();
  }
}

template <class Scalar>
std::size_t LBFGS<Scalar>::checked_group(const char* function, std::size_t group) const {
  if (group != 0)
    throw std::invalid_argument(std::string("LBFGS.") + function + ": there is no group " + std::to_string(group) +
                                " (LBFGS has one parameter group, as in PyTorch)");
  return group;
}

template <class Scalar>
LBFGSOptions& LBFGS<Scalar>::options(std::size_t group) {
  checked_group("options", group);
  return options_;
}

template <class Scalar>
const LBFGSOptions& LBFGS<Scalar>::options(std::size_t group) const {
  checked_group("options", group);
  return options_;
}

template <class Scalar>
double LBFGS<Scalar>::lr(std::size_t group) const {
  checked_group("lr", group);
  return options_.lr;
}

template <class Scalar>
void LBFGS<Scalar>::set_lr(double lr) {
  check_option("LBFGS", "lr", lr, Range::non_negative);
  options_.lr = lr;
}

template <class Scalar>
void LBFGS<Scalar>::set_lr(double lr, std::size_t group) {
  checked_group("set_lr", group);
  set_lr(lr);
}

template <class Scalar>
void LBFGS<Scalar>::set_momentum(double, std::size_t) {
  throw std::invalid_argument("LBFGS.set_momentum: LBFGS has no momentum");
}

template <class Scalar>
void LBFGS<Scalar>::zero_grad(bool set_to_none) {
  for (const auto& p : params_) p.zero_grad(set_to_none);
}

template <class Scalar>
void LBFGS<Scalar>::step() {
  throw std::invalid_argument(
      "LBFGS.step: L-BFGS evaluates the loss several times per step; call step(closure) with a closure that "
      "zeroes the gradients, computes the loss, calls backward() and returns the loss");
}

template <class Scalar>
typename LBFGS<Scalar>::Flat LBFGS<Scalar>::gather_flat_grad() const {
  Flat flat;
  flat.reserve(numel_);
  for (std::size_t i = 0; i < params_.size(); ++i) {
    const BasicTensor<Scalar>& p = params_[i];
    if (!p.has_grad()) {
      flat.insert(flat.end(), p.value().size(), Scalar(0));
      continue;
    }
    const Array<Scalar>& g = p.grad();
    if (!shapes_equal(g.shape(), p.value().shape()))
      throw_shape_error("LBFGS.step", "the gradient of " +
                                          (names_.empty() ? "parameter " + std::to_string(i)
                                                          : "parameter '" + names_[i] + "'") +
                                          " has shape " + shape_to_string(g.shape()) +
                                          " but the parameter has shape " + shape_to_string(p.value().shape()));
    flat.insert(flat.end(), g.begin(), g.end());
  }
  return flat;
}

template <class Scalar>
void LBFGS<Scalar>::add_grad(double step_size, const Flat& direction) {
  const Scalar t = static_cast<Scalar>(step_size);
  std::size_t offset = 0;
  for (const auto& p : params_)
    for (Scalar& v : p.value()) v += t * direction[offset++];
}

template <class Scalar>
typename LBFGS<Scalar>::Flat LBFGS<Scalar>::clone_param() const {
  Flat flat;
  flat.reserve(numel_);
  for (const auto& p : params_) flat.insert(flat.end(), p.value().begin(), p.value().end());
  return flat;
}

template <class Scalar>
void LBFGS<Scalar>::set_param(const Flat& values) {
  std::size_t offset = 0;
  for (const auto& p : params_)
    for (Scalar& v : p.value()) v = values[offset++];
}

// L-BFGS (Nocedal, 1980, "Updating Quasi-Newton Matrices with Limited
// Storage"; Liu & Nocedal, 1989), as torch.optim.LBFGS.step computes it
// (read at a PyTorch 2.4-era revision, typed with ParamsT; the algorithm is
// unchanged since 1.x), itself after minFunc. Per iteration:
//   first iteration ever: d ← −g, no history, H ← 1
//   later: y ← g − g_prev, s ← t·d; if yᵀs > 1e-10 the pair (y, s) joins the
//     history (the oldest leaves past history_size) and H ← yᵀs / yᵀy;
//     d ← −H̃g by the two-loop recursion with initial Hessian H·I
//   t ← lr, or min(1, 1/‖g‖₁)·lr in the first iteration ever
//   stop if gᵀd > −tolerance_change; move θ ← θ + t·d, t from the strong
//   Wolfe line search when asked; re-evaluate loss and gradient (not after
//   the last iteration without line search)
//   stop after max_iter iterations or max_eval evaluations, when
//   max|g| ≤ tolerance_grad, max|t·d| ≤ tolerance_change or the loss changed
//   by less than tolerance_change.
// The history carries over from step to step, as in PyTorch.
template <class Scalar>
double LBFGS<Scalar>::step(const std::function<double()>& closure) {
  check_options(options_);
  const LBFGSOptions o = options_;
  const std::int64_t max_eval = o.max_eval.value_or(o.max_iter * 5 / 4);
  auto evaluate = [&] {
    enable_grad recording;
    return closure();
  };
  History& h = history_;

  const double orig_loss = evaluate();
  double loss = orig_loss;
  std::int64_t current_evals = 1;
  ++h.func_evals;
  Flat flat_grad = gather_flat_grad();
  bool opt_cond = max_abs(flat_grad) <= o.tolerance_grad;
  if (opt_cond) return orig_loss;

  std::vector<double> al(static_cast<std::size_t>(o.history_size));
  std::int64_t n_iter = 0;
  while (n_iter < o.max_iter) {
    ++n_iter;
    ++h.n_iter;
    if (h.n_iter == 1) {
      h.d.resize(numel_);
      for (std::size_t i = 0; i < numel_; ++i) h.d[i] = -flat_grad[i];
      h.old_dirs.clear(), h.old_stps.clear(), h.ro.clear();
      h.H_diag = 1;
    } else {
      Flat y(numel_), s(numel_);
      for (std::size_t i = 0; i < numel_; ++i) {
        y[i] = flat_grad[i] - h.prev_flat_grad[i];
        s[i] = h.d[i] * static_cast<Scalar>(h.t);
      }
      const double ys = dot(y, s);
      if (ys > 1e-10) {
        if (static_cast<std::int64_t>(h.old_dirs.size()) == o.history_size) {
          h.old_dirs.erase(h.old_dirs.begin());
          h.old_stps.erase(h.old_stps.begin());
          h.ro.erase(h.ro.begin());
        }
        h.H_diag = ys / dot(y, y);
        h.old_dirs.push_back(std::move(y));
        h.old_stps.push_back(std::move(s));
        h.ro.push_back(1 / ys);
      }
      const std::size_t num_old = h.old_dirs.size();
      Flat q(numel_);
      for (std::size_t i = 0; i < numel_; ++i) q[i] = -flat_grad[i];
      for (std::size_t k = num_old; k-- > 0;) {
        al[k] = dot(h.old_stps[k], q) * h.ro[k];
        const Scalar a = static_cast<Scalar>(al[k]);
        for (std::size_t i = 0; i < numel_; ++i) q[i] -= a * h.old_dirs[k][i];
      }
      const Scalar scale = static_cast<Scalar>(h.H_diag);
      for (std::size_t i = 0; i < numel_; ++i) h.d[i] = q[i] * scale;
      for (std::size_t k = 0; k < num_old; ++k) {
        const Scalar a = static_cast<Scalar>(al[k] - dot(h.old_dirs[k], h.d) * h.ro[k]);
        for (std::size_t i = 0; i < numel_; ++i) h.d[i] += a * h.old_stps[k][i];
      }
    }
    h.prev_flat_grad = flat_grad;
    h.prev_loss = loss;

    if (h.n_iter == 1) {
      double abs_sum = 0;
      for (Scalar v : flat_grad) abs_sum += std::abs(static_cast<double>(v));
      h.t = std::min(1.0, 1 / abs_sum) * o.lr;
    } else {
      h.t = o.lr;
    }
    const double gtd = dot(flat_grad, h.d);
    if (gtd > -o.tolerance_change) break;

    std::int64_t ls_func_evals = 0;
    if (o.line_search_fn == LBFGSLineSearch::strong_wolfe) {
      const Flat x_init = clone_param();
      auto along = [&](double t) {
        add_grad(t, h.d);
        const double f = evaluate();
        Flat g = gather_flat_grad();
        set_param(x_init);
        return std::pair{f, std::move(g)};
      };
      LineSearchResult<Scalar> found = strong_wolfe(along, h.t, h.d, loss, flat_grad, gtd, o.tolerance_change);
      loss = found.loss, flat_grad = std::move(found.grad), h.t = found.t, ls_func_evals = found.evals;
      add_grad(h.t, h.d);
      opt_cond = max_abs(flat_grad) <= o.tolerance_grad;
    } else {
      add_grad(h.t, h.d);
      if (n_iter != o.max_iter) {
        loss = evaluate();
        flat_grad = gather_flat_grad();
        opt_cond = max_abs(flat_grad) <= o.tolerance_grad;
        ls_func_evals = 1;
      }
    }
    current_evals += ls_func_evals;
    h.func_evals += ls_func_evals;

    if (n_iter == o.max_iter || current_evals >= max_eval || opt_cond) break;
    if (max_abs(h.d) * std::abs(h.t) <= o.tolerance_change) break;
    if (std::abs(loss - h.prev_loss) < o.tolerance_change) break;
  }
  return orig_loss;
}

template <class Scalar>
io::Archive LBFGS<Scalar>::state_dict() const {
  io::Archive a;
  a.put_string("optimizer", "LBFGS");
  a.put_number("param_groups", 1);
  const std::string prefix = "param_groups.0.";
  for_each_option(options_, [&](const char* name, const auto& value) { detail::put_option(a, prefix + name, value); });
  a.put_number(prefix + "max_eval.set", options_.max_eval ? 1 : 0);
  if (options_.max_eval) a.put_number(prefix + "max_eval", static_cast<double>(*options_.max_eval));
  a.put_number(prefix + "params", static_cast<double>(params_.size()));
  for (std::size_t i = 0; i < names_.size(); ++i) a.put_string(prefix + "param_names." + std::to_string(i), names_[i]);
  a.put_number("state.func_evals", static_cast<double>(history_.func_evals));
  a.put_number("state.n_iter", static_cast<double>(history_.n_iter));
  if (history_.n_iter == 0) return a;
  a.put("state.d", to_array(history_.d));
  a.put_number("state.t", history_.t);
  a.put_number("state.history", static_cast<double>(history_.old_dirs.size()));
  for (std::size_t k = 0; k < history_.old_dirs.size(); ++k) {
    a.put("state.old_dirs." + std::to_string(k), to_array(history_.old_dirs[k]));
    a.put("state.old_stps." + std::to_string(k), to_array(history_.old_stps[k]));
    a.put_number("state.ro." + std::to_string(k), history_.ro[k]);
  }
  a.put_number("state.H_diag", history_.H_diag);
  a.put("state.prev_flat_grad", to_array(history_.prev_flat_grad));
  a.put_number("state.prev_loss", history_.prev_loss);
  return a;
}

template <class Scalar>
void LBFGS<Scalar>::load_state_dict(const io::Archive& a) {
  const std::string where = "LBFGS.load_state_dict";
  const std::string saved_by = a.get_string("optimizer");
  if (saved_by != "LBFGS") throw std::invalid_argument(where + ": the state was saved by " + saved_by + ", not LBFGS");
  const std::string saved_groups = detail::count_text(a.get_number("param_groups"));
  if (saved_groups != "1")
    throw std::invalid_argument(where + ": the state has " + saved_groups + " parameter groups, LBFGS has 1");
  const std::string prefix = "param_groups.0.";
  LBFGSOptions options;
  for_each_option(options, [&](const char* name, auto& value) { detail::get_option(a, prefix + name, value); });
  bool max_eval_set = false;
  detail::get_option(a, prefix + "max_eval.set", max_eval_set);
  options.max_eval = max_eval_set ? std::optional(detail::get_whole_option<std::int64_t>(a, prefix + "max_eval"))
                                  : std::nullopt;
  check_options(options);
  const std::string saved_count = detail::count_text(a.get_number(prefix + "params"));
  if (saved_count != std::to_string(params_.size()))
    throw std::invalid_argument(where + ": the state has " + saved_count + " parameters, this optimizer has " +
                                std::to_string(params_.size()));
  // The saved vectors run over all parameters in order, so the names must
  // come in the same order.
  if (a.contains(prefix + "param_names.0") != !names_.empty())
    throw std::invalid_argument(where + ": the state was saved " +
                                (names_.empty() ? "with parameter names, this optimizer has none"
                                                : "without parameter names, this optimizer has names"));
  for (std::size_t i = 0; i < names_.size(); ++i) {
    const std::string saved = a.get_string(prefix + "param_names." + std::to_string(i));
    if (saved != names_[i])
      throw std::invalid_argument(where + ": parameter " + std::to_string(i) + " is '" + names_[i] +
                                  "' but the state has '" + saved +
                                  "' there (L-BFGS's history runs over the parameters in order)");
  }
  History h;
  h.func_evals = detail::get_whole_option<std::int64_t>(a, "state.func_evals");
  h.n_iter = detail::get_whole_option<std::int64_t>(a, "state.n_iter");
  if (h.func_evals < 0 || h.n_iter < 0)
    throw std::invalid_argument(where + ": the saved func_evals and n_iter must be >= 0, got " +
                                std::to_string(h.func_evals) + " and " + std::to_string(h.n_iter));
  auto vector = [&](const std::string& key) {
    const Array<Scalar> v = a.get_array<Scalar>(key);
    if (v.dimension() != 1 || v.size() != numel_)
      throw_shape_error(where, "the saved '" + key + "' has shape " + shape_to_string(v.shape()) +
                                   " but the parameters have " + std::to_string(numel_) +
                                   " values in all (the model changed?)");
    return Flat(v.begin(), v.end());
  };
  if (h.n_iter > 0) {
    h.d = vector("state.d");
    h.t = a.get_number("state.t");
    const std::int64_t history = detail::get_whole_option<std::int64_t>(a, "state.history");
    if (history < 0 || history > options.history_size)
      throw std::invalid_argument(where + ": the saved history holds " + std::to_string(history) +
                                  " pairs, expected 0 to history_size = " + std::to_string(options.history_size));
    for (std::int64_t k = 0; k < history; ++k) {
      h.old_dirs.push_back(vector("state.old_dirs." + std::to_string(k)));
      h.old_stps.push_back(vector("state.old_stps." + std::to_string(k)));
      h.ro.push_back(a.get_number("state.ro." + std::to_string(k)));
    }
    h.H_diag = a.get_number("state.H_diag");
    h.prev_flat_grad = vector("state.prev_flat_grad");
    h.prev_loss = a.get_number("state.prev_loss");
  }
  options_ = options;
  history_ = std::move(h);
}

template class LBFGS<float>;
template class LBFGS<double>;

}  // namespace xg::optim
