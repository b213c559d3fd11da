#include <cmath>
#include <string>
#include <xgrad/core/error.hpp>
#include <xgrad/core/message.hpp>
#include <xgrad/nn/init.hpp>

namespace xg::nn::init {

double calculate_gain(Nonlinearity nonlinearity, double param) {
  switch (nonlinearity) {
    case Nonlinearity::linear:
    case Nonlinearity::sigmoid: return 1.0;
    case Nonlinearity::tanh: return 5.0 / 3.0;
    case Nonlinearity::relu: return std::sqrt(2.0);
    case Nonlinearity::leaky_relu: return std::sqrt(2.0 / (1.0 + param * param));
    case Nonlinearity::selu: return 3.0 / 4.0;
  }
  throw std::invalid_argument("calculate_gain: unknown nonlinearity");
}

std::pair<std::size_t, std::size_t> calculate_fan_in_and_fan_out(const Shape& shape) {
  if (shape.size() < 2)
    throw_shape_error("calculate_fan_in_and_fan_out",
                      "fan in and fan out need a tensor of at least 2 dimensions, got shape " + shape_to_string(shape));
  std::size_t receptive = 1;
  for (std::size_t i = 2; i < shape.size(); ++i) receptive *= shape[i];
  return {shape[1] * receptive, shape[0] * receptive};
}

namespace {
template <class S, class Draw>
const BasicTensor<S>& fill_with(const BasicTensor<S>& tensor, Draw draw) {
  for (auto& v : tensor.value()) v = static_cast<S>(draw());
  return tensor;
}
}  // namespace

template <class S>
const BasicTensor<S>& uniform_(const BasicTensor<S>& tensor, double a, double b, Generator& generator) {
  if (!(a <= b) || !std::isfinite(a) || !std::isfinite(b))
    throw_invalid_argument("uniform_", "needs finite a <= b, got a=" + std::to_string(a) + " b=" + std::to_string(b));
  return fill_with(tensor, [&] { return generator.uniform(a, b); });
}

template <class S>
const BasicTensor<S>& normal_(const BasicTensor<S>& tensor, double mean, double std, Generator& generator) {
  if (!(std >= 0) || !std::isfinite(std) || !std::isfinite(mean))
    throw_invalid_argument(
        "normal_", "needs a finite mean and std >= 0, got mean=" + number_text(mean) + " std=" + number_text(std));
  return fill_with(tensor, [&] { return mean + std * generator.normal(); });
}

template <class S>
const BasicTensor<S>& zeros_(const BasicTensor<S>& tensor) {
  tensor.value().fill(S(0));
  return tensor;
}

template <class S>
const BasicTensor<S>& kaiming_uniform_(const BasicTensor<S>& tensor, KaimingOptions options, Generator& generator) {
  if (tensor.numel() == 0) return tensor;
  const auto [fan_in, fan_out] = calculate_fan_in_and_fan_out(to_shape(tensor.shape()));
  const double fan = static_cast<double>(options.mode == FanMode::fan_in ? fan_in : fan_out);
  const double bound = std::sqrt(3.0) * calculate_gain(options.nonlinearity, options.a) / std::sqrt(fan);
  return fill_with(tensor, [&] { return generator.uniform(-bound, bound); });
}

template <class S>
const BasicTensor<S>& xavier_uniform_(const BasicTensor<S>& tensor, double gain, Generator& generator) {
  if (tensor.numel() == 0) return tensor;
  const auto [fan_in, fan_out] = calculate_fan_in_and_fan_out(to_shape(tensor.shape()));
  const double bound = gain * std::sqrt(6.0 / static_cast<double>(fan_in + fan_out));
  return fill_with(tensor, [&] { return generator.uniform(-bound, bound); });
}

#define XGRAD_INSTANTIATE_INIT(S)                                                                     \
  template const BasicTensor<S>& uniform_(const BasicTensor<S>&, double, double, Generator&);         \
  template const BasicTensor<S>& normal_(const BasicTensor<S>&, double, double, Generator&);          \
  template const BasicTensor<S>& zeros_(const BasicTensor<S>&);                                       \
  template const BasicTensor<S>& kaiming_uniform_(const BasicTensor<S>&, KaimingOptions, Generator&); \
  template const BasicTensor<S>& xavier_uniform_(const BasicTensor<S>&, double, Generator&);
XGRAD_INSTANTIATE_INIT(float)
XGRAD_INSTANTIATE_INIT(double)

}  // namespace xg::nn::init
