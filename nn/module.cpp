#include <algorithm>
#include <set>
#include <stdexcept>
#include <typeinfo>
#include <xgrad/core/detail/type_name.hpp>
#include <xgrad/core/error.hpp>
#include <xgrad/core/message.hpp>
#include <xgrad/nn/module.hpp>

namespace xg::nn {

namespace {

std::string quoted_list(const std::vector<std::string>& names) {
  std::string out;
  for (const auto& n : names) out += (out.empty() ? "" : ", ") + quoted_text(n);
  return out;
}

}  // namespace

template <class S>
void BasicModule<S>::collect(const std::string& prefix, bool parameters, bool buffers, NamedTensors<S>& out) const {
  if (parameters)
    for (auto& [name, p] : local_parameters()) out.emplace_back(prefix + name, p);
  if (buffers)
    for (auto& [name, b] : local_buffers()) out.emplace_back(prefix + name, b);
  for (auto& [name, child] : named_children()) child->collect(prefix + name + ".", parameters, buffers, out);
}

template <class S>
NamedTensors<S> BasicModule<S>::named_parameters() const {
  NamedTensors<S> out;
  collect("", true, false, out);
  return out;
}

template <class S>
NamedTensors<S> BasicModule<S>::named_buffers() const {
  NamedTensors<S> out;
  collect("", false, true, out);
  return out;
}

template <class S>
NamedTensors<S> BasicModule<S>::named_state() const {
  NamedTensors<S> out;
  collect("", true, true, out);
  return out;
}

template <class S>
std::vector<BasicTensor<S>> BasicModule<S>::parameters() const {
  std::vector<BasicTensor<S>> out;
  for (auto& [name, p] : named_parameters()) out.push_back(p);
  return out;
}

template <class S>
std::vector<BasicTensor<S>> BasicModule<S>::buffers() const {
  std::vector<BasicTensor<S>> out;
  for (auto& [name, b] : named_buffers()) out.push_back(b);
  return out;
}

template <class S>
void BasicModule<S>::zero_grad(bool set_to_none) {
  for (auto& p : parameters()) p.zero_grad(set_to_none);
}

template <class S>
void BasicModule<S>::train(bool on) {
  training_ = on;
  for (auto& [name, child] : named_children()) child->train(on);
}

template <class S>
std::shared_ptr<BasicModule<float>> BasicModule<S>::to_float() const {
  throw std::logic_error("Module::to<float>: " + readable_type_name(typeid(*this)) +
                         " does not override to_float() (see nn/module.hpp for a module of one's own)");
}

template <class S>
std::shared_ptr<BasicModule<double>> BasicModule<S>::to_double() const {
  throw std::logic_error("Module::to<double>: " + readable_type_name(typeid(*this)) +
                         " does not override to_double() (see nn/module.hpp for a module of one's own)");
}

template <class S>
io::Archive BasicModule<S>::state_dict() const {
  io::Archive state;
  for (auto& [name, t] : named_state()) state.put(name, t.value());
  return state;
}

template <class S>
void BasicModule<S>::load_state_dict(const io::Archive& state) {
  load_checked(state, "load_state_dict");
}

template <class S>
void BasicModule<S>::save(const std::string& path) const {
  state_dict().save(path, "module");
}

template <class S>
void BasicModule<S>::load(const std::string& path) {
  load_checked(io::Archive::load(path, "module"), "load '" + path + "'");
}

template <class S>
void BasicModule<S>::check_state_dict(const io::Archive& state) const {
  checked_values(state, "check_state_dict");
}

template <class S>
std::vector<Array<S>> BasicModule<S>::checked_values(const io::Archive& state, const std::string& source) const {
  const NamedTensors<S> entries = named_state();
  std::set<std::string> buffer_names;
  for (const auto& [name, b] : named_buffers()) buffer_names.insert(name);
  std::vector<std::string> missing, unexpected;
  std::set<std::string> expected;
  for (const auto& [name, t] : entries) {
    expected.insert(name);
    if (!state.contains(name)) missing.push_back(name);
  }
  for (const auto& name : state.names())
    if (!expected.count(name)) unexpected.push_back(name);
  if (!missing.empty() || !unexpected.empty()) {
    std::string msg = "Module::" + source + ": the parameter names do not match the model's.";
    if (!missing.empty()) msg += " Missing from the state: " + quoted_list(missing) + ".";
    if (!unexpected.empty()) msg += " Unexpected in the state (not in the model): " + quoted_list(unexpected) + ".";
    throw std::invalid_argument(msg);
  }
  std::vector<Array<S>> values;
  values.reserve(entries.size());
  for (const auto& [name, t] : entries) {
    const std::string what = (buffer_names.count(name) ? "buffer " : "parameter ") + quoted_text(name);
    Array<S> v = state.get_array<S>(name);
    if (!shapes_equal(v.shape(), t.shape()))
      throw ShapeError("Module::" + source + ": " + what + " has shape " + shape_to_string(t.shape()) +
                       " in the model but " + shape_to_string(v.shape()) + " in the state");
    // A NaN or Inf weight would make every later output and step non-finite.
    if (const auto bad = first_non_finite(v))
      throw std::invalid_argument("Module::" + source + ": " + what + " holds " + describe_element(v, *bad) +
                                  " of shape " + shape_to_string(v.shape()));
    values.push_back(std::move(v));
  }
  return values;
}

template <class S>
void BasicModule<S>::load_checked(const io::Archive& state, const std::string& source) {
  const std::vector<Array<S>> values = checked_values(state, source);
  const NamedTensors<S> entries = named_state();
  // Copied into the existing arrays, so that optimizers holding the
  // parameters keep seeing them.
  for (std::size_t i = 0; i < entries.size(); ++i)
    std::copy(values[i].begin(), values[i].end(), entries[i].second.value().begin());
}

template class BasicModule<float>;
template class BasicModule<double>;

}  // namespace xg::nn
