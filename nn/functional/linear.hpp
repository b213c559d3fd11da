#pragma once
// The dense layer as one op: y = x W^T + b, with W of shape (out, in) as in
// PyTorch. One gemm with a transpose flag does the product (no transposed copy
// of W), and the backward accumulates straight into the gradients with beta = 1.

#include <xgrad/core/tensor.hpp>

namespace xg::nn::functional {

// x: (..., in), weight: (out, in), bias: (out) or undefined for none.
// Returns (..., out).
template <class S>
BasicTensor<S> linear(const BasicTensor<S>& input, const BasicTensor<S>& weight,
                      const BasicTensor<S>& bias = BasicTensor<S>());

}  // namespace xg::nn::functional
