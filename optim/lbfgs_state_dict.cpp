// LBFGS's state_dict and load_state_dict: its options and the history that
// carries over from step to step, over all parameters end to end.

#include <xgrad/optim/lbfgs.hpp>

#include <algorithm>
#include <optional>
#include <stdexcept>
#include <string>
#include <utility>

#include <xgrad/core/error.hpp>
#include <xgrad/optim/detail/option_archive.hpp>

namespace xg::optim {

namespace {

template <class Scalar>
Array<Scalar> to_array(const std::vector<Scalar>& v) {
  Array<Scalar> a = Array<Scalar>::from_shape({v.size()});
  std::copy(v.begin(), v.end(), a.begin());
  return a;
}

}  // namespace

template <class Scalar>
io::Archive LBFGS<Scalar>::state_dict() const {
  io::Archive a;
  a.put_string("optimizer", "LBFGS");
  a.put_integer("param_groups", 1);
  const std::string prefix = "param_groups.0.";
  for_each_option(options_, [&](const char* name, const auto& value) { detail::put_option(a, prefix + name, value); });
  a.put_number(prefix + "max_eval.set", options_.max_eval ? 1 : 0);
  if (options_.max_eval) a.put_integer(prefix + "max_eval", static_cast<std::int64_t>(*options_.max_eval));
  a.put_integer(prefix + "params", static_cast<std::int64_t>(params_.size()));
  for (std::size_t i = 0; i < names_.size(); ++i) a.put_string(prefix + "param_names." + std::to_string(i), names_[i]);
  a.put_integer("state.func_evals", static_cast<std::int64_t>(history_.func_evals));
  a.put_integer("state.n_iter", static_cast<std::int64_t>(history_.n_iter));
  if (history_.n_iter == 0) return a;
  a.put("state.d", to_array(history_.d));
  a.put_number("state.t", history_.t);
  a.put_integer("state.history", static_cast<std::int64_t>(history_.old_dirs.size()));
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
  options.max_eval =
      max_eval_set ? std::optional(detail::get_whole_option<std::int64_t>(a, prefix + "max_eval")) : std::nullopt;
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

template io::Archive LBFGS<float>::state_dict() const;
template io::Archive LBFGS<double>::state_dict() const;
template void LBFGS<float>::load_state_dict(const io::Archive&);
template void LBFGS<double>::load_state_dict(const io::Archive&);

}  // namespace xg::optim
