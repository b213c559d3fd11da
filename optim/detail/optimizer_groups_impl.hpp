#pragma once
// Member definitions of Optimizer: parameter groups, their options and the
// per-parameter state they are read through (optimizer_impl.hpp includes it).

#include <optional>
#include <stdexcept>
#include <string>
#include <unordered_set>
#include <utility>

#include <xgrad/core/error.hpp>
#include <xgrad/optim/detail/option_value_checks.hpp>
#include <xgrad/optim/optimizer.hpp>

namespace xg::optim {

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
    if constexpr (requires { Derived::check_parameter(std::string{}, Shape{}); })
      Derived::check_parameter(which, to_shape(params[i].value().shape()));
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
                                std::to_string(group) + " (the optimizer has " + std::to_string(groups_.size()) + ")");
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
    throw std::invalid_argument(where +
                                ": the tensor has no state (it is not a parameter of this optimizer, or "
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
  throw std::invalid_argument(std::string(Derived::name) +
                              ".step_count: the tensor is not a parameter of this optimizer");
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

}  // namespace xg::optim
