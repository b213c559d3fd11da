#include <algorithm>
#include <xgrad/autograd/function.hpp>
#include <xgrad/core/detail/blas.hpp>
#include <xgrad/core/error.hpp>
#include <xgrad/nn/functional/linear.hpp>

namespace xg::nn::functional {

namespace {

struct LinearDims {
  std::size_t rows, in, out;
};

}  // namespace

// y = x W^T + b;  dx = dy W;  dW = dy^T x;  db = column sums of dy
template <class S>
BasicTensor<S> linear(const BasicTensor<S>& input, const BasicTensor<S>& weight, const BasicTensor<S>& bias) {
  if (!input.defined() || !weight.defined())
    throw std::invalid_argument("linear: the input and the weight must be defined tensors");
  if (weight.dim() != 2)
    throw_shape_error("linear",
                      "expects a 2-D weight (out_features, in_features), got shape " + shape_to_string(weight.shape()));
  const std::size_t in_features = weight.shape()[1], out_features = weight.shape()[0];
  if (input.dim() == 0 || input.shape().back() != in_features)
    throw_shape_error("linear", "input of shape " + shape_to_string(input.shape()) +
                                    " does not end in in_features = " + std::to_string(in_features) +
                                    " (weight shape " + shape_to_string(weight.shape()) + ")");
  const bool has_bias = bias.defined();
  if (has_bias && (bias.dim() != 1 || bias.shape()[0] != out_features))
    throw_shape_error("linear", "expects a bias of shape (" + std::to_string(out_features) + ",) for weight " +
                                    shape_to_string(weight.shape()) + ", got " + shape_to_string(bias.shape()));
  typename Array<S>::shape_type out_shape(input.shape().begin(), input.shape().end());
  out_shape.back() = out_features;
  std::size_t rows = 1;
  for (std::size_t i = 0; i + 1 < input.dim(); ++i) rows *= input.shape()[i];
  const LinearDims dims{rows, in_features, out_features};

  auto out = Array<S>::from_shape(out_shape);
  S beta = S(0);
  if (has_bias) {
    const S* b = bias.value().data();
    S* y = out.data();
    for (std::size_t r = 0; r < rows; ++r) std::copy(b, b + out_features, y + r * out_features);
    beta = S(1);
  }
  // With in = 0 BLAS still scales C by beta, so the output is the bias or zeros.
  blas::gemm<S>(false, true, rows, out_features, in_features, S(1), input.value().data(), in_features,
                weight.value().data(), in_features, beta, out.data(), out_features);

  auto backward = [dims](Node<S>& self) {
    auto &x = *self.inputs[0], &w = *self.inputs[1];
    const S* g = self.grad.data();
    S beta;
    if (x.requires_grad) {
      S* gx = x.gradient_for_gemm(beta);
      blas::gemm<S>(false, false, dims.rows, dims.in, dims.out, S(1), g, dims.out, w.value.data(), dims.in, beta, gx,
                    dims.in);
    }
    if (w.requires_grad) {
      S* gw = w.gradient_for_gemm(beta);
      blas::gemm<S>(true, false, dims.out, dims.in, dims.rows, S(1), g, dims.out, x.value.data(), dims.in, beta, gw,
                    dims.in);
    }
    if (self.inputs.size() == 3 && self.inputs[2]->requires_grad) {
      Array<S>& gb = autograd::zero_initialized_grad(*self.inputs[2]);
      S* sums = gb.data();
      for (std::size_t r = 0; r < dims.rows; ++r)
        for (std::size_t j = 0; j < dims.out; ++j) sums[j] += g[r * dims.out + j];
    }
  };
  if (has_bias) return autograd::record<S>("linear", std::move(out), {&input, &weight, &bias}, std::move(backward));
  return autograd::record<S>("linear", std::move(out), {&input, &weight}, std::move(backward));
}

template BasicTensor<float> linear(const BasicTensor<float>&, const BasicTensor<float>&, const BasicTensor<float>&);
template BasicTensor<double> linear(const BasicTensor<double>&, const BasicTensor<double>&, const BasicTensor<double>&);

}  // namespace xg::nn::functional
