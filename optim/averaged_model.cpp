#include <xgrad/optim/averaged_model.hpp>

#include <algorithm>
#include <cmath>
#include <stdexcept>
#include <string>
#include <utility>
#include <vector>

#include <xgrad/core/error.hpp>
#include <xgrad/core/message.hpp>

namespace xg::optim {

namespace {

const char* const op = "AveragedModel";
const std::string prefix = "module.";

}  // namespace

AveragingFunction swa_avg() {
  return [](const Array<float>& averaged, const Array<float>& current, std::int64_t n_averaged) {
    const float n_plus_one = static_cast<float>(n_averaged + 1);
    return Array<float>(averaged + (current - averaged) / n_plus_one);
  };
}

AveragingFunction ema_avg(double decay) {
  if (!(decay >= 0.0 && decay <= 1.0))
    throw_invalid_argument("ema_avg", "decay must be in [0, 1], got " + number_text(decay));
  return [decay](const Array<float>& averaged, const Array<float>& current, std::int64_t) {
    const float keep = static_cast<float>(decay), take = static_cast<float>(1.0 - decay);
    return Array<float>(keep * averaged + take * current);
  };
}

AveragedModel::AveragedModel(std::shared_ptr<nn::Module> module, AveragedModelOptions options)
    : module_(std::move(module)), avg_fn_(options.avg_fn ? std::move(options.avg_fn) : swa_avg()) {
  if (!module_) throw_invalid_argument(op, "the module to hold the average is null");
}

void AveragedModel::update_parameters(const nn::Module& model) {
  const NamedTensors<float> averaged = module_->named_parameters(), current = model.named_parameters();
  // Checks the names and shapes, and computes every new value, before changing any.
  module_->check_state_dict(model.state_dict());
  std::vector<Array<float>> values;
  values.reserve(averaged.size());
  for (std::size_t i = 0; i < averaged.size(); ++i) {
    const std::string& name = averaged[i].first;
    const Tensor& target = averaged[i].second;
    const Array<float>& source =
        std::find_if(current.begin(), current.end(), [&](const auto& c) { return c.first == name; })->second.value();
    values.push_back(n_averaged_ == 0 ? source : avg_fn_(target.value(), source, n_averaged_));
    if (!shapes_equal(values.back().shape(), target.value().shape()))
      throw_shape_error(op, "avg_fn returned shape " + shape_to_string(values.back().shape()) + " for '" + name +
                                "' of shape " + shape_to_string(target.value().shape()));
  }
  for (std::size_t i = 0; i < averaged.size(); ++i) averaged[i].second.node()->value = std::move(values[i]);
  ++n_averaged_;
}

io::Archive AveragedModel::state_dict() const {
  io::Archive a;
  for (const auto& [name, tensor] : module_->named_parameters()) a.put(prefix + name, tensor.value());
  a.put_integer("n_averaged", static_cast<std::int64_t>(n_averaged_));
  return a;
}

void AveragedModel::load_state_dict(const io::Archive& state) {
  const double n = state.get_number("n_averaged");
  if (!(n >= 0 && n < 9.0e15 && n == std::floor(n)))
    throw std::invalid_argument(std::string(op) + ".load_state_dict: 'n_averaged' holds " + number_text(n) +
                                ", expected a whole number >= 0");
  io::Archive parameters;
  for (const std::string& name : state.names()) {
    if (name == "n_averaged") continue;
    if (name.compare(0, prefix.size(), prefix) != 0)
      throw std::invalid_argument(std::string(op) + ".load_state_dict: unexpected entry '" + name +
                                  "' (the parameters are under '" + prefix + "')");
    parameters.put(name.substr(prefix.size()), state.get_array<float>(name));
  }
  module_->load_state_dict(parameters);
  n_averaged_ = static_cast<std::int64_t>(n);
}

}  // namespace xg::optim
