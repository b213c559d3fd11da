#include <stdexcept>
#include <string>
#include <xgrad/nn/dropout.hpp>
#include <xgrad/nn/functional/dropout.hpp>

namespace xg::nn {

Dropout::Dropout(double p, Generator& generator) : p_(p), generator_(&generator) {
  if (!(p >= 0.0 && p <= 1.0)) throw std::invalid_argument("Dropout: p must be in [0, 1], got " + std::to_string(p));
}

Tensor Dropout::forward(const Tensor& input) { return functional::dropout(input, p_, is_training(), *generator_); }

}  // namespace xg::nn
