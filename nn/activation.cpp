#include <xgrad/autograd/ops.hpp>
#include <xgrad/nn/activation.hpp>

namespace xg::nn {

template <class S>
BasicTensor<S> BasicTanh<S>::forward(const BasicTensor<S>& input) {
  return xg::tanh(input);
}
template <class S>
BasicTensor<S> BasicSigmoid<S>::forward(const BasicTensor<S>& input) {
  return xg::sigmoid(input);
}
template <class S>
BasicTensor<S> BasicReLU<S>::forward(const BasicTensor<S>& input) {
  return xg::relu(input);
}
template <class S>
BasicTensor<S> BasicSoftmax<S>::forward(const BasicTensor<S>& input) {
  return xg::softmax(input, axis_);
}
template <class S>
BasicTensor<S> BasicLogSoftmax<S>::forward(const BasicTensor<S>& input) {
  return xg::log_softmax(input, axis_);
}
template <class S>
BasicTensor<S> BasicGELU<S>::forward(const BasicTensor<S>& input) {
  return xg::gelu(input, options.approximate);
}
template <class S>
BasicTensor<S> BasicSiLU<S>::forward(const BasicTensor<S>& input) {
  return xg::silu(input);
}
template <class S>
BasicTensor<S> BasicELU<S>::forward(const BasicTensor<S>& input) {
  return xg::elu(input, options.alpha);
}
template <class S>
BasicTensor<S> BasicLeakyReLU<S>::forward(const BasicTensor<S>& input) {
  return xg::leaky_relu(input, options.negative_slope);
}
template <class S>
BasicTensor<S> BasicSoftplus<S>::forward(const BasicTensor<S>& input) {
  return xg::softplus(input, options.beta, options.threshold);
}

template class BasicTanh<float>;
template class BasicTanh<double>;
template class BasicSigmoid<float>;
template class BasicSigmoid<double>;
template class BasicReLU<float>;
template class BasicReLU<double>;
template class BasicSoftmax<float>;
template class BasicSoftmax<double>;
template class BasicLogSoftmax<float>;
template class BasicLogSoftmax<double>;

template class BasicGELU<float>;
template class BasicGELU<double>;
template class BasicSiLU<float>;
template class BasicSiLU<double>;
template class BasicELU<float>;
template class BasicELU<double>;
template class BasicLeakyReLU<float>;
template class BasicLeakyReLU<double>;
template class BasicSoftplus<float>;
template class BasicSoftplus<double>;

}  // namespace xg::nn
