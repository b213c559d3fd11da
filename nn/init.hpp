#pragma once
// Parameter initialisation in place, as torch.nn.init does it, drawing from a
// seeded generator (xg::default_generator() unless one is given) in row-major
// order. Each returns its argument.

#include <cstddef>
#include <utility>
#include <xgrad/core/generator.hpp>
#include <xgrad/core/tensor.hpp>

namespace xg::nn::init {

enum class Nonlinearity { linear, sigmoid, tanh, relu, leaky_relu, selu };
enum class FanMode { fan_in, fan_out };

// The recommended gain for a nonlinearity: 1 (linear, sigmoid), 5/3 (tanh),
// sqrt(2) (relu), sqrt(2 / (1 + slope^2)) (leaky_relu with negative slope
// `param`), 3/4 (selu).
double calculate_gain(Nonlinearity nonlinearity, double param = 0.01);

// For a weight of shape (out, in, k...): fan_in = in * prod(k), fan_out = out * prod(k).
// Needs at least 2 dimensions.
std::pair<std::size_t, std::size_t> calculate_fan_in_and_fan_out(const Shape& shape);

struct KaimingOptions {
  double a = 0.0;  // negative slope of the leaky_relu that follows
  FanMode mode = FanMode::fan_in;
  Nonlinearity nonlinearity = Nonlinearity::leaky_relu;
};

// U(a, b).
template <class S>
const BasicTensor<S>& uniform_(const BasicTensor<S>& tensor, double a = 0.0, double b = 1.0,
                               Generator& generator = default_generator());
// N(mean, std^2).
template <class S>
const BasicTensor<S>& normal_(const BasicTensor<S>& tensor, double mean = 0.0, double std = 1.0,
                              Generator& generator = default_generator());
template <class S>
const BasicTensor<S>& zeros_(const BasicTensor<S>& tensor);
// U(-bound, bound) with bound = gain * sqrt(3 / fan), gain from the options.
template <class S>
const BasicTensor<S>& kaiming_uniform_(const BasicTensor<S>& tensor, KaimingOptions options = {},
                                       Generator& generator = default_generator());
// U(-bound, bound) with bound = gain * sqrt(6 / (fan_in + fan_out)).
template <class S>
const BasicTensor<S>& xavier_uniform_(const BasicTensor<S>& tensor, double gain = 1.0,
                                      Generator& generator = default_generator());

}  // namespace xg::nn::init
