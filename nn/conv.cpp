#include <cmath>
#include <stdexcept>
#include <string>
#include <xgrad/core/factories.hpp>
#include <xgrad/nn/conv.hpp>
#include <xgrad/nn/init.hpp>

namespace xg::nn {

namespace {

// The checks torch's _ConvNd makes on its arguments, before any tensor is made.
void check_channels(const char* layer, std::size_t in_channels, std::size_t out_channels, long groups,
                    bool kernel_positive, const std::string& kernel) {
  if (in_channels == 0 || out_channels == 0)
    throw std::invalid_argument(std::string(layer) + ": in_channels and out_channels must be positive, got " +
                                std::to_string(in_channels) + " and " + std::to_string(out_channels));
  if (groups < 1)
    throw std::invalid_argument(std::string(layer) + ": groups must be positive, got " + std::to_string(groups));
  const auto g = static_cast<std::size_t>(groups);
  if (in_channels % g != 0 || out_channels % g != 0)
    throw std::invalid_argument(std::string(layer) + ": groups=" + std::to_string(groups) +
                                " must divide in_channels=" + std::to_string(in_channels) +
                                " and out_channels=" + std::to_string(out_channels));
  if (!kernel_positive)
    throw std::invalid_argument(std::string(layer) + ": kernel_size must be positive, got " + kernel);
}

// torch's _ConvNd.reset_parameters.
template <class S>
void reset_convolution(BasicTensor<S>& weight, BasicTensor<S>& bias, Generator& generator) {
  init::kaiming_uniform_(weight, {.a = std::sqrt(5.0)}, generator);
  if (bias.defined()) {
    const auto fan_in = init::calculate_fan_in_and_fan_out(Shape(weight.shape().begin(), weight.shape().end())).first;
    const double bound = 1.0 / std::sqrt(static_cast<double>(fan_in));
    init::uniform_(bias, -bound, bound, generator);
  }
}

template <class S>
NamedTensors<S> weight_and_bias(const BasicTensor<S>& weight, const BasicTensor<S>& bias) {
  NamedTensors<S> out{{"weight", weight}};
  if (bias.defined()) out.emplace_back("bias", bias);
  return out;
}

}  // namespace

template <class S>
BasicConv2d<S>::BasicConv2d(std::size_t in_channels, std::size_t out_channels, Size2 kernel_size, Conv2dOptions options,
                            Generator& generator)
    : in_channels_(in_channels), out_channels_(out_channels), kernel_size_(kernel_size), options_(options) {
  check_channels("Conv2d", in_channels, out_channels, options.groups, kernel_size.h > 0 && kernel_size.w > 0,
                 "(" + std::to_string(kernel_size.h) + ", " + std::to_string(kernel_size.w) + ")");
  const Shape shape{out_channels, in_channels / std::size_t(options.groups), std::size_t(kernel_size.h),
                    std::size_t(kernel_size.w)};
  checked_numel("Conv2d", shape);
  weight = zeros<S>(shape, true);
  if (options.bias) bias = zeros<S>({out_channels}, true);
  reset_parameters(generator);
}

template <class S>
void BasicConv2d<S>::reset_parameters(Generator& generator) {
  reset_convolution(weight, bias, generator);
}

template <class S>
BasicTensor<S> BasicConv2d<S>::forward(const BasicTensor<S>& input) {
  return conv2d(input, weight, bias,
                {.stride = options_.stride,
                 .padding = options_.padding,
                 .dilation = options_.dilation,
                 .groups = options_.groups});
}

template <class S>
NamedTensors<S> BasicConv2d<S>::local_parameters() const {
  return weight_and_bias(weight, bias);
}

template <class S>
BasicConv1d<S>::BasicConv1d(std::size_t in_channels, std::size_t out_channels, long kernel_size, Conv1dOptions options,
                            Generator& generator)
    : in_channels_(in_channels), out_channels_(out_channels), kernel_size_(kernel_size), options_(options) {
  check_channels("Conv1d", in_channels, out_channels, options.groups, kernel_size > 0, std::to_string(kernel_size));
  const Shape shape{out_channels, in_channels / std::size_t(options.groups), std::size_t(kernel_size)};
  checked_numel("Conv1d", shape);
  weight = zeros<S>(shape, true);
  if (options.bias) bias = zeros<S>({out_channels}, true);
  reset_parameters(generator);
}

template <class S>
void BasicConv1d<S>::reset_parameters(Generator& generator) {
  reset_convolution(weight, bias, generator);
}

template <class S>
BasicTensor<S> BasicConv1d<S>::forward(const BasicTensor<S>& input) {
  return conv1d(input, weight, bias,
                {.stride = options_.stride,
                 .padding = options_.padding,
                 .dilation = options_.dilation,
                 .groups = options_.groups});
}

template <class S>
NamedTensors<S> BasicConv1d<S>::local_parameters() const {
  return weight_and_bias(weight, bias);
}

template class BasicConv2d<float>;
template class BasicConv2d<double>;
template class BasicConv1d<float>;
template class BasicConv1d<double>;

}  // namespace xg::nn
