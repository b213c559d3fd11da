#include <xgrad/optim/lbfgs.hpp>

#include <algorithm>
#include <cmath>
#include <stdexcept>
#include <unordered_set>
#include <utility>

#include <xgrad/core/error.hpp>
#include <xgrad/optim/detail/flat_vector.hpp>
#include <xgrad/optim/detail/strong_wolfe.hpp>
#include <xgrad/optim/option_range.hpp>

namespace xg::optim {

template <class Scalar>
void LBFGS<Scalar>::check_options(const LBFGSOptions& o) {
  check_option("LBFGS", "lr", o.lr, Range::non_negative);
  check_option("LBFGS", "max_iter", static_cast<double>(o.max_iter), Range::positive);
  if (o.max_eval) check_option("LBFGS", "max_eval", static_cast<double>(*o.max_eval), Range::positive);
  check_option("LBFGS", "tolerance_grad", o.tolerance_grad, Range::non_negative);
  check_option("LBFGS", "tolerance_change", o.tolerance_change, Range::non_negative);
  check_option("LBFGS", "history_size", static_cast<double>(o.history_size), Range::positive);
  if (o.line_search_fn != LBFGSLineSearch::none && o.line_search_fn != LBFGSLineSearch::strong_wolfe)
    throw std::invalid_argument("LBFGS: invalid line_search_fn = " +
                                std::to_string(static_cast<int>(o.line_search_fn)) + " (must be none or strong_wolfe)");
}

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
      throw_shape_error("LBFGS.step",
                        "the gradient of " +
                            (names_.empty() ? "parameter " + std::to_string(i) : "parameter '" + names_[i] + "'") +
                            " has shape " + shape_to_string(g.shape()) + " but the parameter has shape " +
                            shape_to_string(p.value().shape()));
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
  bool opt_cond = detail::max_abs(flat_grad) <= o.tolerance_grad;
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
      const double ys = detail::dot(y, s);
      if (ys > 1e-10) {
        if (static_cast<std::int64_t>(h.old_dirs.size()) == o.history_size) {
          h.old_dirs.erase(h.old_dirs.begin());
          h.old_stps.erase(h.old_stps.begin());
          h.ro.erase(h.ro.begin());
        }
        h.H_diag = ys / detail::dot(y, y);
        h.old_dirs.push_back(std::move(y));
        h.old_stps.push_back(std::move(s));
        h.ro.push_back(1 / ys);
      }
      const std::size_t num_old = h.old_dirs.size();
      Flat q(numel_);
      for (std::size_t i = 0; i < numel_; ++i) q[i] = -flat_grad[i];
      for (std::size_t k = num_old; k-- > 0;) {
        al[k] = detail::dot(h.old_stps[k], q) * h.ro[k];
        const Scalar a = static_cast<Scalar>(al[k]);
        for (std::size_t i = 0; i < numel_; ++i) q[i] -= a * h.old_dirs[k][i];
      }
      const Scalar scale = static_cast<Scalar>(h.H_diag);
      for (std::size_t i = 0; i < numel_; ++i) h.d[i] = q[i] * scale;
      for (std::size_t k = 0; k < num_old; ++k) {
        const Scalar a = static_cast<Scalar>(al[k] - detail::dot(h.old_dirs[k], h.d) * h.ro[k]);
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
    const double gtd = detail::dot(flat_grad, h.d);
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
      detail::LineSearchResult<Scalar> found =
          detail::strong_wolfe(along, h.t, h.d, loss, flat_grad, gtd, o.tolerance_change);
      loss = found.loss, flat_grad = std::move(found.grad), h.t = found.t, ls_func_evals = found.evals;
      add_grad(h.t, h.d);
      opt_cond = detail::max_abs(flat_grad) <= o.tolerance_grad;
    } else {
      add_grad(h.t, h.d);
      if (n_iter != o.max_iter) {
        loss = evaluate();
        flat_grad = gather_flat_grad();
        opt_cond = detail::max_abs(flat_grad) <= o.tolerance_grad;
        ls_func_evals = 1;
      }
    }
    current_evals += ls_func_evals;
    h.func_evals += ls_func_evals;

    if (n_iter == o.max_iter || current_evals >= max_eval || opt_cond) break;
    if (detail::max_abs(h.d) * std::abs(h.t) <= o.tolerance_change) break;
    if (std::abs(loss - h.prev_loss) < o.tolerance_change) break;
  }
  return orig_loss;
}

template class LBFGS<float>;
template class LBFGS<double>;

}  // namespace xg::optim
