#include <cmath>
#include <stdexcept>
#include <string>
#include <xgrad/autograd/grad_mode.hpp>
#include <xgrad/core/factories.hpp>
#include <xgrad/nn/functional/linear.hpp>
#include <xgrad/nn/init.hpp>
#include <xgrad/nn/linear.hpp>

namespace xg::nn {

template <class S>
BasicLinear<S>::BasicLinear(std::size_t in_features, std::size_t out_features, bool bias, Generator& generator)
    : in_features_(in_features), out_features_(out_features) {
  if (in_features == 0 || out_features == 0)
    throw std::invalid_argument("Linear: in_features and out_features must be positive, got " +
                                std::to_string(in_features) + " and " + std::to_string(out_features));
  checked_numel("Linear", Shape{out_features, in_features});
  weight = zeros<S>({out_features, in_features}, true);
  if (bias) this->bias = zeros<S>({out_features}, true);
  reset_parameters(generator);
}

template <class S>
void BasicLinear<S>::reset_parameters(Generator& generator) {
  init::kaiming_uniform_(weight, {.a = std::sqrt(5.0)}, generator);
  if (bias.defined()) {
    const double bound = 1.0 / std::sqrt(static_cast<double>(in_features_));
    init::uniform_(bias, -bound, bound, generator);
  }
}

template <class S>
BasicTensor<S> BasicLinear<S>::forward(const BasicTensor<S>& input) {
  return functional::linear(input, weight, bias);
}

template <class S>
NamedTensors<S> BasicLinear<S>::local_parameters() const {
  NamedTensors<S> out{{"weight", weight}};
  if (bias.defined()) out.emplace_back("bias", bias);
  return out;
}

template class BasicLinear<float>;
template class BasicLinear<double>;

}  // namespace xg::nn
