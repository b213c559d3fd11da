#pragma once
// Activations (ops/activation.cpp) and softmax along an axis (ops/softmax.cpp).

#include <string_view>

#include <xgrad/core/tensor.hpp>

namespace xg {

template <class S>
BasicTensor<S> tanh(const BasicTensor<S>& x);
template <class S>
BasicTensor<S> sigmoid(const BasicTensor<S>& x);
template <class S>
BasicTensor<S> relu(const BasicTensor<S>& x);
// As torch.nn.functional: log(1 + exp(beta x)) / beta, and x itself where
// beta x > threshold (where the two agree to rounding).
template <class S>
BasicTensor<S> softplus(const BasicTensor<S>& x, double beta = 1.0, double threshold = 20.0);
// x Phi(x) with the exact erf; approximate = "tanh" for
// 0.5 x (1 + tanh(sqrt(2/pi) (x + 0.044715 x^3))), as torch's `approximate`.
template <class S>
BasicTensor<S> gelu(const BasicTensor<S>& x, std::string_view approximate = "none");
// x sigmoid(x) (also called swish).
template <class S>
BasicTensor<S> silu(const BasicTensor<S>& x);
// x where x > 0, alpha (exp(x) - 1) elsewhere.
template <class S>
BasicTensor<S> elu(const BasicTensor<S>& x, double alpha = 1.0);
// x where x > 0, negative_slope x elsewhere.
template <class S>
BasicTensor<S> leaky_relu(const BasicTensor<S>& x, double negative_slope = 0.01);
// Numerically stable: subtracts the max along `axis` first.
template <class S>
BasicTensor<S> softmax(const BasicTensor<S>& x, long axis = -1);
template <class S>
BasicTensor<S> log_softmax(const BasicTensor<S>& x, long axis = -1);

}  // namespace xg
