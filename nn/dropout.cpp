#include <stdexcept>
#include <string>
#include <xgrad/nn/dropout.hpp>
#include <xgrad/nn/functional/dropout.hpp>

namespace xg::nn {

template <class S>
BasicDropout<S>::BasicDropout(double p, Generator& generator) : p_(p), generator_(&generator) {
  if (!(p >= 0.0 && p <= 1.0)) throw std::invalid_argument("Dropout: p must be in [0, 1], got " + std::to_string(p));
}

template <class S>
BasicTensor<S> BasicDropout<S>::forward(const BasicTensor<S>& input) {
  return functional::dropout(input, p_, this->is_training(), *generator_);
}

template class BasicDropout<float>;
template class BasicDropout<double>;

}  // namespace xg::nn
