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

}  // namespace xg::nn
