#pragma once
// Member definitions of Optimizer: state_dict, and load_state_dict, which
// reads and checks everything before it changes anything (optimizer_impl.hpp
// includes it).

#include <algorithm>
#include <cmath>
#include <iterator>
#include <stdexcept>
#include <string>
#include <unordered_map>
#include <unordered_set>
#include <utility>
#include <vector>

#include <xgrad/core/archive.hpp>
#include <xgrad/core/error.hpp>
#include <xgrad/core/message.hpp>
#include <xgrad/optim/detail/option_archive.hpp>
#include <xgrad/optim/optimizer.hpp>

namespace xg::optim {

template <class Scalar, class Options, class Derived>
io::Archive Optimizer<Scalar, Options, Derived>::state_dict() const {
  io::Archive a;
  a.put_string("optimizer", Derived::name);
  a.put_integer("param_groups", static_cast<std::int64_t>(groups_.size()));
  std::size_t position = 0;
  for (std::size_t g = 0; g < groups_.size(); ++g) {
    const Group& group = groups_[g];
    const std::string prefix = "param_groups." + std::to_string(g) + ".";
    Derived::for_each_option(group.options, [&](const char* name, const auto& value, Range = Range::finite) {
      detail::put_option(a, prefix + name, value);
    });
    a.put_integer(prefix + "params", static_cast<std::int64_t>(group.params.size()));
    for (std::size_t i = 0; i < group.param_names.size(); ++i)
      a.put_string(prefix + "param_names." + std::to_string(i), group.param_names[i]);
    for (std::size_t i = 0; i < group.params.size(); ++i, ++position) {
      const auto it = state_.find(group.params[i].node().get());
      if (it == state_.end()) continue;
      const ParamState<Scalar>& s = it->second;
      const std::string key = "state." + state_key(g, i, position) + ".";
      a.put_integer(key + "step", static_cast<std::int64_t>(s.step));
      for (std::size_t k = 0; k < s.buffers.size(); ++k)
        if (s.buffers[k]) a.put(key + Derived::state_names[k], *s.buffers[k]);
      if constexpr (requires { Derived::scalar_state; })
        for (std::size_t k = 0; k < s.scalars.size(); ++k)
          a.put_number(key + Derived::scalar_state[k].name, s.scalars[k]);
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
            throw std::invalid_argument(where + ": the saved '" + std::string(Derived::scalar_state[k].name) + "' of " +
                                        describe(g, i) + " is " + number_text(s.scalars[k]) +
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

}  // namespace xg::optim
