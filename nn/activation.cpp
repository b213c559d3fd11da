#include <xgrad/autograd/ops.hpp>
#include <xgrad/nn/activation.hpp>

namespace xg::nn {

Tensor Tanh::forward(const Tensor& input) { return xg::tanh(input); }
Tensor Sigmoid::forward(const Tensor& input) { return xg::sigmoid(input); }
Tensor ReLU::forward(const Tensor& input) { return xg::relu(input); }
Tensor Softmax::forward(const Tensor& input) { return xg::softmax(input, axis_); }
Tensor LogSoftmax::forward(const Tensor& input) { return xg::log_softmax(input, axis_); }

}  // namespace xg::nn
