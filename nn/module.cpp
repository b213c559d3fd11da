#include <algorithm>
#include <set>
#include <stdexcept>
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

NamedTensors<float> Module::named_parameters() const {
  NamedTensors<float> out;
  collect_parameters("", out);
  return out;
}

void Module::collect_parameters(const std::string& prefix, NamedTensors<float>& out) const {
  for (auto& [name, p] : local_parameters()) out.emplace_back(prefix + name, p);
  for (auto& [name, child] : named_children()) child->collect_parameters(prefix + name + ".", out);
}

std::vector<Tensor> Module::parameters() const {
  std::vector<Tensor> out;
  for (auto& [name, p] : named_parameters()) out.push_back(p);
  return out;
}

void Module::zero_grad(bool set_to_none) {
  for (auto& p : parameters()) p.zero_grad(set_to_none);
}

void Module::train(bool on) {
  training_ = on;
  for (auto& [name, child] : named_children()) child->train(on);
}

io::Archive Module::state_dict() const {
  io::Archive state;
  for (auto& [name, p] : named_parameters()) state.put(name, p.value());
  return state;
}

void Module::load_state_dict(const io::Archive& state) { load_checked(state, "load_state_dict"); }

void Module::save(const std::string& path) const { state_dict().save(path, "module"); }

void Module::load(const std::string& path) { load_checked(io::Archive::load(path, "module"), "load '" + path + "'"); }

void Module::check_state_dict(const io::Archive& state) const { checked_values(state, "check_state_dict"); }

std::vector<Array<float>> Module::checked_values(const io::Archive& state, const std::string& source) const {
  const NamedTensors<float> params = named_parameters();
  std::vector<std::string> missing, unexpected;
  std::set<std::string> expected;
  for (const auto& [name, p] : params) {
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
  std::vector<Array<float>> values;
  values.reserve(params.size());
  for (const auto& [name, p] : params) {
    Array<float> v = state.get_array<float>(name);
    if (!shapes_equal(v.shape(), p.shape()))
      throw ShapeError("Module::" + source + ": parameter " + quoted_text(name) + " has shape " + shape_to_string(p.shape()) +
                       " in the model but " + shape_to_string(v.shape()) + " in the state");
    // A NaN or Inf weight would make every later output and step non-finite.
    if (const auto bad = first_non_finite(v))
      throw std::invalid_argument("Module::" + source + ": parameter " + quoted_text(name) + " holds " +
                                  describe_element(v, *bad) + " of shape " + shape_to_string(v.shape()));
    values.push_back(std::move(v));
  }
  return values;
}

void Module::load_checked(const io::Archive& state, const std::string& source) {
  const std::vector<Array<float>> values = checked_values(state, source);
  const NamedTensors<float> params = named_parameters();
  // Copied into the existing buffers, so that optimizers holding the
  // parameters keep seeing them.
  for (std::size_t i = 0; i < params.size(); ++i)
    std::copy(values[i].begin(), values[i].end(), params[i].second.value().begin());
}

}  // namespace xg::nn
