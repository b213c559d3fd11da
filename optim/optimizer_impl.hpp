#pragma once
// Member definitions of Optimizer, included by each optimizer's .cpp to
// instantiate them for float and double (user code includes only the
// declarations, so it does not compile them again).

#include <algorithm>
#include <array>
#include <cmath>
#include <iterator>
#include <limits>
#include <optional>
#include <stdexcept>
#include <string>
#include <type_traits>
#include <unordered_set>
#include <utility>

#include <xgrad/core/archive.hpp>
#include <xgrad/core/error.hpp>
#include <xgrad/core/message.hpp>
#include <xgrad/optim/option_range.hpp>
#include <xgrad/optim/optimizer.hpp>

namespace xg::optim {

namespace detail {

template <class T>
inline constexpr bool is_number_array = false;
template <std::size_t N>
inline constexpr bool is_number_array<std::array<double, N>> = true;

template <class T>
inline constexpr bool is_whole_number = std::is_integral_v<T> && !std::is_same_v<T, bool>;

// A number checked as a double, then as the parameters' scalar type holds it.
template <class Scalar>
void check_number(const char* optimizer, const std::string& name, double value, Range range) {
  check_option(optimizer, name, value, range);
  constexpr double largest = std::numeric_limits<Scalar>::max();
  // Rounded only when in range: converting a larger double to float is undefined.
  const double rounded = std::abs(value) > largest ? value : static_cast<double>(static_cast<Scalar>(value));
  check_option_rounded(optimizer, name, value, rounded, range, std::is_same_v<Scalar, float> ? "float32" : "float64",
                       largest);
}

// The kinds of option an optimizer may have: numbers, fixed-size lists of
// numbers (betas), whole numbers (LBFGS's max_iter), numbers that may be
// unset (Adafactor's eps1), flags, and enumerations (Muon's adjust_lr_fn),
// whose values the optimizer's check_constraints validates. Numbers must stay
// valid in the parameters' scalar type, in which the update computes.
template <class Scalar, class T>
void check_option_value(const char* optimizer, const char* name, const T& value, Range range) {
  if constexpr (std::is_same_v<T, double>) {
    check_number<Scalar>(optimizer, name, value, range);
  } else if constexpr (is_whole_number<T>) {
    check_option(optimizer, name, static_cast<double>(value), range);
  } else if constexpr (is_number_array<T>) {
    for (std::size_t i = 0; i < value.size(); ++i)
      check_number<Scalar>(optimizer, std::string(name) + "[" + std::to_string(i) + "]", value[i], range);
  } else if constexpr (std::is_same_v<T, std::optional<double>>) {
    if (value) check_number<Scalar>(optimizer, name, *value, range);
  } else {
    static_assert(std::is_same_v<T, bool> || std::is_enum_v<T>,
                  "options are numbers, lists of numbers, whole numbers, optional numbers, flags or enumerations");
  }
}

}  // namespace detail

template <class Scalar, class Options, class Derived>
Optimizer<Scalar, Options, Derived>::Optimizer(std::vector<BasicTensor<Scalar>> params, Options defaults)
    : defaults_(defaults) {
  add_param_group(std::move(params), defaults);
}

template <class Scalar, class Options, class Derived>
Optimizer<Scalar, Options, Derived>::Optimizer(NamedTensors<Scalar> params, Options defaults) : defaults_(defaults) {
  named_ = true;
  add_param_group(std::move(params), defaults);
}

template <class Scalar, class Options, class Derived>
void Optimizer<Scalar, Options, Derived>::add_param_group(std::vector<BasicTensor<Scalar>> params) {
  add_param_group(std::move(params), defaults_);
}

template <class Scalar, class Options, class Derived>
void Optimizer<Scalar, Options, Derived>::add_param_group(std::vector<BasicTensor<Scalar>> params, Options options) {
  add_group(std::move(params), {}, options);
}

template <class Scalar, class Options, class Derived>
void Optimizer<Scalar, Options, Derived>::add_param_group(NamedTensors<Scalar> params) {
  add_param_group(std::move(params), defaults_);
}

template <class Scalar, class Options, class Derived>
void Optimizer<Scalar, Options, Derived>::add_param_group(NamedTensors<Scalar> params, Options options) {
  std::vector<BasicTensor<Scalar>> tensors;
  std::vector<std::string> names;
  tensors.reserve(params.size());
  names.reserve(params.size());
  for (auto& [name, tensor] : params) {
    names.push_back(std::move(name));
    tensors.push_back(std::move(tensor));
  }
  add_group(std::move(tensors), std::move(names), options);
}

template <class Scalar, class Options, class Derived>
void Optimizer<Scalar, Options, Derived>::add_group(std::vector<BasicTensor<Scalar>> params,
                                                    std::vector<std::string> names, Options options) {
  const std::string where = Derived::name;
  if (params.empty()) throw std::invalid_argument(where + ": got an empty parameter list");
  check_options(options);
  const bool named = !names.empty();
  if (named != named_)
    throw std::invalid_argument(where + ": the optimizer was built from " + (named_ ? "named" : "unnamed") +
                                " parameters; every group must be " + (named_ ? "named" : "unnamed") +
                                " as well, so that saved state is keyed one way");
  std::unordered_set<NodePtr> seen;
  std::unordered_set<std::string> seen_names;
  for (const Group& g : groups_) {
    for (const auto& p : g.params) seen.insert(p.node().get());
    seen_names.insert(g.param_names.begin(), g.param_names.end());
  }
  for (std::size_t i = 0; i < params.size(); ++i) {
    const std::string which = named ? "parameter '" + names[i] + "'" : "parameter " + std::to_string(i);
    if (!params[i].defined()) throw std::invalid_argument(where + ": " + which + " is an undefined tensor");
    if (!params[i].is_leaf())
      throw std::invalid_argument(where + ": " + which + " is not a leaf (it comes from '" + params[i].op() +
                                  "'); optimize the leaf it was computed from");
    if (!seen.insert(params[i].node().get()).second)
      throw std::invalid_argument(where + ": " + which + " appears more than once among the parameter groups");
    if (named && !seen_names.insert(names[i]).second)
      throw std::invalid_argument(where + ": the name '" + names[i] + "' is given to more than one parameter");
  }
  groups_.push_back(Group{std::move(params), std::move(names), options});
}

template <class Scalar, class Options, class Derived>
void Optimizer<Scalar, Options, Derived>::check_options(const Options& options) {
  Derived::for_each_option(options, [](const char* name, const auto& value, Range range = Range::finite) {
    detail::check_option_value<Scalar>(Derived::name, name, value, range);
  });
  if constexpr (requires { Derived::check_constraints(options); }) Derived::check_constraints(options);
}

template <class Scalar, class Options, class Derived>
std::size_t Optimizer<Scalar, Options, Derived>::checked_group(const char* function, std::size_t group) const {
  if (group >= groups_.size())
    throw std::invalid_argument(std::string(Derived::name) + "." + function + ": there is no group " +
                                std::to_string(group) + " (the optimizer has " + std::to_string(groups_.size()) +
                                ")");
  return group;
}

template <class Scalar, class Options, class Derived>
Options& Optimizer<Scalar, Options, Derived>::options(std::size_t group) {
  return groups_[checked_group("options", group)].options;
}

template <class Scalar, class Options, class Derived>
const Options& Optimizer<Scalar, Options, Derived>::options(std::size_t group) const {
  return groups_[checked_group("options", group)].options;
}

template <class Scalar, class Options, class Derived>
std::string Optimizer<Scalar, Options, Derived>::describe(std::size_t group, std::size_t index) const {
  if (named_) return "parameter '" + groups_[group].param_names[index] + "'";
  return "parameter " + std::to_string(index) + " of group " + std::to_string(group);
}

template <class Scalar, class Options, class Derived>
std::string Optimizer<Scalar, Options, Derived>::state_key(std::size_t group, std::size_t index,
                                                           std::size_t position) const {
  return named_ ? groups_[group].param_names[index] : std::to_string(position);
}

template <class Scalar, class Options, class Derived>
ParamState<Scalar> Optimizer<Scalar, Options, Derived>::fresh_state() const {
  ParamState<Scalar> s;
  s.buffers.resize(Derived::state_names.size());
  if constexpr (requires { Derived::scalar_state; })
    for (const ScalarState& entry : Derived::scalar_state) s.scalars.push_back(entry.initial);
  return s;
}

template <class Scalar, class Options, class Derived>
Shape Optimizer<Scalar, Options, Derived>::state_shape(std::size_t k, const Array<Scalar>& param) {
  if constexpr (requires { Derived::state_shape(k, to_shape(param.shape())); })
    return Derived::state_shape(k, to_shape(param.shape()));
  else
    return to_shape(param.shape());
}

template <class Scalar, class Options, class Derived>
void Optimizer<Scalar, Options, Derived>::check_state_shapes(const ParamState<Scalar>& s, const Array<Scalar>& param,
                                                             std::size_t group, std::size_t index) const {
  for (std::size_t k = 0; k < s.buffers.size(); ++k)
    if (s.buffers[k] && !shapes_equal(s.buffers[k]->shape(), state_shape(k, param)))
      throw_shape_error(std::string(Derived::name) + ".step",
                        "the state '" + std::string(Derived::state_names[k]) + "' of " + describe(group, index) +
                            " has shape " + shape_to_string(s.buffers[k]->shape()) + " but the parameter now has " +
                            shape_to_string(param.shape()) + " (was its value replaced?)");
  if (!s.row_step.empty() && (param.dimension() == 0 || s.row_step.size() != param.shape()[0]))
    throw_shape_error(std::string(Derived::name) + ".step", "the state of " + describe(group, index) + " tracks " +
                                                                std::to_string(s.row_step.size()) +
                                                                " rows but the parameter now has shape " +
                                                                shape_to_string(param.shape()) +
                                                                " (was its value replaced?)");
}

template <class Scalar, class Options, class Derived>
void Optimizer<Scalar, Options, Derived>::step() {
  // Everything is checked before anything is updated, so a failing step
  // leaves every parameter and its state as they were.
  for (std::size_t g = 0; g < groups_.size(); ++g) {
    check_options(groups_[g].options);
    for (std::size_t i = 0; i < groups_[g].params.size(); ++i) {
      const Node<Scalar>& node = *groups_[g].params[i].node();
      if (!node.has_grad && !node.sparse_grad) continue;
      if (node.has_grad && !shapes_equal(node.grad.shape(), node.value.shape()))
        throw_shape_error(std::string(Derived::name) + ".step", "the gradient of " + describe(g, i) +
                                                                    " has shape " + shape_to_string(node.grad.shape()) +
                                                                    " but the parameter has shape " +
                                                                    shape_to_string(node.value.shape()));
      if (node.sparse_grad) check_rows_fit((std::string(Derived::name) + ".step").c_str(), *node.sparse_grad,
                                           to_shape(node.value.shape()));
      if (auto it = state_.find(&node); it != state_.end()) check_state_shapes(it->second, node.value, g, i);
    }
  }
  for (const Group& group : groups_) {
    for (const auto& param : group.params) {
      Node<Scalar>& node = *param.node();
      if (!node.has_grad && !node.sparse_grad) continue;
      auto [it, created] = state_.try_emplace(&node);
      if (created) it->second = fresh_state();
      ++it->second.step;
      update_param(group.options, it->second, node);
    }
  }
}

namespace detail {

// Multiplies row `row` of every state buffer by its idle decay to the power
// `skipped`: what `skipped` steps with a zero gradient would have done.
template <class Scalar, std::size_t N>
void decay_row(ParamState<Scalar>& state, const std::array<double, N>& decay, std::size_t row, std::int64_t skipped,
               std::size_t row_size) {
  if (skipped <= 0) return;
  for (std::size_t k = 0; k < N; ++k) {
    if (decay[k] == 1 || !state.buffers[k]) continue;
    // One rounding, where the dense run rounds once per skipped step. An
    // overflowed (infinite) state stays infinite under a positive decay, step
    // after step, even where decay^k underflows to 0, and a decay of 0 drops
    // it, as decayed_average does: 0·Inf must not become NaN.
    const double factor = std::pow(decay[k], static_cast<double>(skipped));
    Scalar* s = state.buffers[k]->data() + row * row_size;
    for (std::size_t j = 0; j < row_size; ++j) {
      if (decay[k] == 0)
        s[j] = 0;
      else if (!std::isinf(s[j]))
        s[j] = static_cast<Scalar>(static_cast<double>(s[j]) * factor);
    }
  }
}

}  // namespace detail

template <class Scalar, class Options, class Derived>
void Optimizer<Scalar, Options, Derived>::update_param(const Options& options, ParamState<Scalar>& state,
                                                       Node<Scalar>& node) {
  constexpr bool decays = requires { Derived::idle_decay(options); };
  const std::size_t rows = node.value.dimension() ? node.value.shape()[0] : 1;
  const std::size_t row_size = rows ? node.value.size() / rows : 0;
  // Rows that were skipped owe (step - 1 - row_step) decays.
  auto catch_up = [&](std::size_t row) {
    if constexpr (decays) {
      detail::decay_row(state, Derived::idle_decay(options), row, state.step - 1 - state.row_step[row], row_size);
      state.row_step[row] = state.step;
    }
  };
  if (node.sparse_grad && !node.has_grad) {
    bool exact = false, lazy = false;
    if constexpr (requires { Derived::sparse_exact(options); }) exact = Derived::sparse_exact(options);
    if constexpr (requires { options.lazy; }) lazy = options.lazy;
    if (exact || lazy) {
      const RowSparse<Scalar>& g = *node.sparse_grad;
      if (exact && decays) {
        if (state.row_step.empty()) state.row_step.assign(rows, state.step - 1);
        for (std::size_t row : g.rows) catch_up(row);
      }
      Derived::update(options, state, node.value, Gradient<Scalar>::of(g));
      return;
    }
  }
  node.densify_grad();
  if (!state.row_step.empty()) {
    for (std::size_t row = 0; row < rows; ++row) catch_up(row);
    state.row_step.clear();
  }
  Derived::update(options, state, node.value, Gradient<Scalar>::of(node.grad));
}

template <class Scalar, class Options, class Derived>
void Optimizer<Scalar, Options, Derived>::zero_grad(bool set_to_none) {
  for (const Group& group : groups_)
    for (const auto& param : group.params) param.zero_grad(set_to_none);
}

template <class Scalar, class Options, class Derived>
const Array<Scalar>& Optimizer<Scalar, Options, Derived>::state(const BasicTensor<Scalar>& param,
                                                                std::string_view name) const {
  const std::string where = std::string(Derived::name) + ".state";
  const auto it = param.defined() ? state_.find(param.node().get()) : state_.end();
  if (it == state_.end())
    throw std::invalid_argument(where + ": the tensor has no state (it is not a parameter of this optimizer, or "
                                        "has not been updated yet)");
  std::string known;
  for (std::size_t k = 0; k < Derived::state_names.size(); ++k) {
    if (name == Derived::state_names[k]) {
      if (!it->second.buffers[k])
        throw std::invalid_argument(where + ": '" + std::string(name) +
                                    "' is not used with this parameter's options so far");
      return *it->second.buffers[k];
    }
    known += (k ? ", '" : "'") + std::string(Derived::state_names[k]) + "'";
  }
  throw std::invalid_argument(where + ": " + Derived::name + " has no state named '" + std::string(name) +
                              "' (it has " + (known.empty() ? "none" : known) + ")");
}

template <class Scalar, class Options, class Derived>
std::int64_t Optimizer<Scalar, Options, Derived>::step_count(const BasicTensor<Scalar>& param) const {
  const NodePtr node = param.defined() ? param.node().get() : nullptr;
  for (const Group& group : groups_)
    for (const auto& p : group.params)
      if (p.node().get() == node) {
        const auto it = state_.find(node);
        return it == state_.end() ? 0 : it->second.step;
      }
  throw std::invalid_argument(std::string(Derived::name) + ".step_count: the tensor is not a parameter of this optimizer");
}

template <class Scalar, class Options, class Derived>
double Optimizer<Scalar, Options, Derived>::lr(std::size_t group) const {
  return groups_[checked_group("lr", group)].options.lr;
}

template <class Scalar, class Options, class Derived>
void Optimizer<Scalar, Options, Derived>::set_lr(double lr) {
  detail::check_number<Scalar>(Derived::name, "lr", lr, Range::non_negative);
  for (Group& group : groups_) group.options.lr = lr;
}

template <class Scalar, class Options, class Derived>
void Optimizer<Scalar, Options, Derived>::set_lr(double lr, std::size_t group) {
  checked_group("set_lr", group);
  detail::check_number<Scalar>(Derived::name, "lr", lr, Range::non_negative);
  groups_[group].options.lr = lr;
}

template <class Scalar, class Options, class Derived>
std::optional<double> Optimizer<Scalar, Options, Derived>::momentum(std::size_t group) const {
  const Options& o = groups_[checked_group("momentum", group)].options;
  if constexpr (requires { o.momentum; })
    return o.momentum;
  else if constexpr (requires { o.betas; })
    return o.betas[0];
  else
    return std::nullopt;
}

template <class Scalar, class Options, class Derived>
void Optimizer<Scalar, Options, Derived>::set_momentum(double momentum, std::size_t group) {
  Options o = groups_[checked_group("set_momentum", group)].options;
  if constexpr (requires { o.momentum; })
    o.momentum = momentum;
  else if constexpr (requires { o.betas; })
    o.betas[0] = momentum;
  else
    throw std::invalid_argument(std::string(Derived::name) + ".set_momentum: " + Derived::name +
                                " has no momentum (neither a momentum option nor betas)");
  check_options(o);
  groups_[group].options = o;
}

namespace detail {

template <class T>
void put_option(io::Archive& a, const std::string& key, const T& v) {
  if constexpr (std::is_same_v<T, double>) {
    a.put_number(key, v);
  } else if constexpr (std::is_same_v<T, bool>) {
    a.put_number(key, v ? 1 : 0);
  } else if constexpr (is_whole_number<T>) {
    a.put_number(key, static_cast<double>(v));
  } else if constexpr (std::is_enum_v<T>) {
    a.put_number(key, static_cast<double>(static_cast<std::underlying_type_t<T>>(v)));
  } else if constexpr (is_number_array<T>) {
    for (std::size_t i = 0; i < v.size(); ++i) a.put_number(key + "." + std::to_string(i), v[i]);
  } else {
    static_assert(std::is_same_v<T, std::optional<double>>);
    a.put_number(key + ".set", v ? 1 : 0);
    if (v) a.put_number(key, *v);
  }
}

// A saved count as text: "3", or the number as stored when it is no count.
inline std::string count_text(double n) {
  if (n >= 0 && n < 1e15 && n == std::floor(n)) return std::to_string(static_cast<std::size_t>(n));
  return std::to_string(n);
}

// A saved whole number that fits T, or an exception naming the key.
template <class T>
T get_whole_option(const io::Archive& a, const std::string& key) {
  const double x = a.get_number(key);
  if (!(x == std::floor(x) && x >= static_cast<double>(std::numeric_limits<T>::lowest()) &&
        x <= static_cast<double>(std::numeric_limits<T>::max()) && std::abs(x) <= 9007199254740992.0))
    throw std::invalid_argument("load_state_dict: the option '" + key + "' holds " + count_text(x) +
                                ", expected a whole number");
  return static_cast<T>(x);
}

template <class T>
void get_option(const io::Archive& a, const std::string& key, T& v) {
  if constexpr (std::is_same_v<T, double>) {
    v = a.get_number(key);
  } else if constexpr (std::is_same_v<T, bool>) {
    const double x = a.get_number(key);
    if (x != 0 && x != 1)
      throw std::invalid_argument("load_state_dict: the flag '" + key + "' holds " + count_text(x) +
                                  ", expected 0 or 1");
    v = x == 1;
  } else if constexpr (is_whole_number<T>) {
    v = get_whole_option<T>(a, key);
  } else if constexpr (std::is_enum_v<T>) {
    v = static_cast<T>(get_whole_option<std::underlying_type_t<T>>(a, key));
  } else if constexpr (is_number_array<T>) {
    for (std::size_t i = 0; i < v.size(); ++i) v[i] = a.get_number(key + "." + std::to_string(i));
  } else {
    static_assert(std::is_same_v<T, std::optional<double>>);
    bool set = false;
    get_option(a, key + ".set", set);
    v = set ? std::optional<double>(a.get_number(key)) : std::nullopt;
  }
}

}  // namespace detail

template <class Scalar, class Options, class Derived>
io::Archive Optimizer<Scalar, Options, Derived>::state_dict() const {
  io::Archive a;
  a.put_string("optimizer", Derived::name);
  a.put_number("param_groups", static_cast<double>(groups_.size()));
  std::size_t position = 0;
  for (std::size_t g = 0; g < groups_.size(); ++g) {
    const Group& group = groups_[g];
    const std::string prefix = "param_groups." + std::to_string(g) + ".";
    Derived::for_each_option(group.options, [&](const char* name, const auto& value, Range = Range::finite) {
      detail::put_option(a, prefix + name, value);
    });
    a.put_number(prefix + "params", static_cast<double>(group.params.size()));
    for (std::size_t i = 0; i < group.param_names.size(); ++i)
      a.put_string(prefix + "param_names." + std::to_string(i), group.param_names[i]);
    for (std::size_t i = 0; i < group.params.size(); ++i, ++position) {
      const auto it = state_.find(group.params[i].node().get());
      if (it == state_.end()) continue;
      const ParamState<Scalar>& s = it->second;
      const std::string key = "state." + state_key(g, i, position) + ".";
      a.put_number(key + "step", static_cast<double>(s.step));
      for (std::size_t k = 0; k < s.buffers.size(); ++k)
        if (s.buffers[k]) a.put(key + Derived::state_names[k], *s.buffers[k]);
      if constexpr (requires { Derived::scalar_state; })
        for (std::size_t k = 0; k < s.scalars.size(); ++k) a.put_number(key + Derived::scalar_state[k].name, s.scalars[k]);
      if (!s.row_step.empty()) {
        auto row_step = Array<double>::from_shape({s.row_step.size()});
        std::copy(s.row_step.begin(), s.row_step.end(), row_step.begin());
        a.put(key + "row_step", row_step);
      }
    }
  }
  return a;
}

template <class Scalar, class Options, class Derived>
void Optimizer<Scalar, Options, Derived>::load_state_dict(const io::Archive& a) {
  const std::string where = std::string(Derived::name) + ".load_state_dict";
  const std::string saved_by = a.get_string("optimizer");
  if (saved_by != Derived::name)
    throw std::invalid_argument(where + ": the state was saved by " + quoted_text(saved_by) + ", not " + Derived::name);
  const std::string saved_groups = detail::count_text(a.get_number("param_groups"));
  if (saved_groups != std::to_string(groups_.size()))
    throw std::invalid_argument(where + ": the state has " + saved_groups + " parameter groups, this optimizer has " +
                                std::to_string(groups_.size()));

  // Read and check everything into new containers; commit only at the end.
  std::vector<Options> options(groups_.size());
  std::unordered_map<NodePtr, ParamState<Scalar>> state;
  std::unordered_set<std::string> known_keys;
  std::size_t position = 0;
  for (std::size_t g = 0; g < groups_.size(); ++g) {
    const Group& group = groups_[g];
    const std::string prefix = "param_groups." + std::to_string(g) + ".";
    Derived::for_each_option(options[g], [&](const char* name, auto& value, Range = Range::finite) {
      detail::get_option(a, prefix + name, value);
    });
    check_options(options[g]);
    const std::string saved_count = detail::count_text(a.get_number(prefix + "params"));
    if (saved_count != std::to_string(group.params.size()))
      throw std::invalid_argument(where + ": group " + std::to_string(g) + " of the state has " + saved_count +
                                  " parameters, this optimizer's has " + std::to_string(group.params.size()));
    const bool saved_named = a.contains(prefix + "param_names.0");
    if (saved_named != named_)
      throw std::invalid_argument(where + ": the state was saved " + (saved_named ? "with" : "without") +
                                  " parameter names, this optimizer has " + (named_ ? "names" : "none"));
    if (named_) {
      std::vector<std::string> saved(group.params.size()), current = group.param_names;
      for (std::size_t i = 0; i < saved.size(); ++i)
        saved[i] = a.get_string(prefix + "param_names." + std::to_string(i));
      std::sort(saved.begin(), saved.end());
      std::sort(current.begin(), current.end());
      std::vector<std::string> missing, unexpected;
      std::set_difference(current.begin(), current.end(), saved.begin(), saved.end(), std::back_inserter(missing));
      std::set_difference(saved.begin(), saved.end(), current.begin(), current.end(), std::back_inserter(unexpected));
      if (!missing.empty() || !unexpected.empty()) {
        auto list = [](const std::vector<std::string>& names) {
          std::string s;
          for (const auto& n : names) s += (s.empty() ? "" : ", ") + quoted_text(n);
          return s.empty() ? std::string("none") : s;
        };
        throw std::invalid_argument(where + ": the parameter names of group " + std::to_string(g) +
                                    " differ from the saved ones (the model changed?): not in the state: " +
                                    list(missing) + "; in the state but not here: " + list(unexpected));
      }
    }
    for (std::size_t i = 0; i < group.params.size(); ++i, ++position) {
      const std::string key = "state." + state_key(g, i, position) + ".";
      known_keys.insert(key);
      if (!a.contains(key + "step")) continue;
      const Array<Scalar>& value = group.params[i].value();
      ParamState<Scalar> s = fresh_state();
      const double step = a.get_number(key + "step");
      if (!(step >= 0 && step == std::floor(step) && step < 9.0e15))
        throw std::invalid_argument(where + ": the step count of " + describe(g, i) + " is " + std::to_string(step) +
                                    ", expected a whole number >= 0");
      s.step = static_cast<std::int64_t>(step);
      for (std::size_t k = 0; k < s.buffers.size(); ++k) {
        const std::string entry = key + Derived::state_names[k];
        if (!a.contains(entry)) continue;
        Array<Scalar> buffer = a.get_array<Scalar>(entry);
        if (!shapes_equal(buffer.shape(), state_shape(k, value)))
          throw_shape_error(where, "the saved '" + std::string(Derived::state_names[k]) + "' of " + describe(g, i) +
                                       " has shape " + shape_to_string(buffer.shape()) + " but the parameter has " +
                                       shape_to_string(value.shape()) + ", so it must have " +
                                       shape_to_string(state_shape(k, value)) + " (the model changed?)");
        check_saved_values(buffer, k, g, i);
        s.buffers[k] = std::move(buffer);
      }
      if constexpr (requires { Derived::scalar_state; })
        for (std::size_t k = 0; k < s.scalars.size(); ++k) {
          s.scalars[k] = a.get_number(key + Derived::scalar_state[k].name);
          if (!std::isfinite(s.scalars[k]))
            throw std::invalid_argument(where + ": the saved '" + std::string(Derived::scalar_state[k].name) +
                                        "' of " + describe(g, i) + " is " + number_text(s.scalars[k]) +
                                        ", expected a finite number");
        }
      if (a.contains(key + "row_step")) {
        const Array<double> row_step = a.get_array<double>(key + "row_step");
        const std::size_t rows = value.dimension() ? value.shape()[0] : 0;
        if (row_step.dimension() != 1 || row_step.size() != rows)
          throw_shape_error(where, "the saved 'row_step' of " + describe(g, i) + " has shape " +
                                       shape_to_string(row_step.shape()) + " but the parameter has " +
                                       std::to_string(rows) + " rows (the model changed?)");
        for (double r : row_step)
          if (!(r >= 0 && r <= step && r == std::floor(r)))
            throw std::invalid_argument(where + ": the saved 'row_step' of " + describe(g, i) + " holds " +
                                        std::to_string(r) + ", expected whole numbers from 0 to the step count " +
                                        std::to_string(s.step));
        s.row_step.assign(row_step.begin(), row_step.end());
      }
      state.emplace(group.params[i].node().get(), std::move(s));
    }
  }
  check_saved_names(a, known_keys);
  for (std::size_t g = 0; g < groups_.size(); ++g) groups_[g].options = options[g];
  state_ = std::move(state);
}

template <class Scalar, class Options, class Derived>
void Optimizer<Scalar, Options, Derived>::check_saved_values(const Array<Scalar>& buffer, std::size_t k,
                                                             std::size_t group, std::size_t index) const {
  const std::string what = std::string(Derived::name) + ".load_state_dict: the saved '" + Derived::state_names[k] +
                           "' of " + describe(group, index);
  if (const auto bad = first_non_finite(buffer))
    throw std::invalid_argument(what + " holds " + describe_element(buffer, *bad) + " of shape " +
                                shape_to_string(buffer.shape()));
  if constexpr (requires { Derived::non_negative_state; }) {
    const std::string_view name = Derived::state_names[k];
    if (std::find(Derived::non_negative_state.begin(), Derived::non_negative_state.end(), name) ==
        Derived::non_negative_state.end())
      return;
    const Scalar* data = buffer.data();
    for (std::size_t j = 0; j < buffer.size(); ++j)
      if (data[j] < 0)
        throw std::invalid_argument(what + " holds " + number_text(data[j]) + " at flat index " + std::to_string(j) +
                                    " of shape " + shape_to_string(buffer.shape()) +
                                    ", but it is never negative (a sum, mean or maximum of squares or magnitudes)");
  }
}

template <class Scalar, class Options, class Derived>
void Optimizer<Scalar, Options, Derived>::check_saved_names(const io::Archive& a,
                                                            const std::unordered_set<std::string>& known_keys) const {
  std::unordered_set<std::string_view> entries{"step", "row_step"};
  entries.insert(Derived::state_names.begin(), Derived::state_names.end());
  if constexpr (requires { Derived::scalar_state; })
    for (const ScalarState& entry : Derived::scalar_state) entries.insert(entry.name);
  for (const std::string& name : a.names()) {
    if (!name.starts_with("state.")) continue;
    // "state.<parameter>.<entry>": parameter names may hold dots, entries do not.
    const auto dot = name.find_last_of('.');
    const std::string key = name.substr(0, dot + 1);
    if (!known_keys.count(key))
      throw std::invalid_argument(std::string(Derived::name) + ".load_state_dict: the state holds " +
                                  quoted_text(name) + " for a parameter this optimizer does not have");
    if (!entries.count(std::string_view(name).substr(dot + 1)))
      throw std::invalid_argument(std::string(Derived::name) + ".load_state_dict: the state holds " +
                                  quoted_text(name) + ", but " + Derived::name + " keeps no state of that name");
  }
}

}  // namespace xg::optim
