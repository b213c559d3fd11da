#pragma once
// Loss functions, each one fused op with its own backward and numerically
// stable for any finite input. Templates over the scalar so that they can be
// gradchecked in float64; modules (nn/loss.hpp) wrap them for float32.

#include <cstddef>
#include <span>
#include <xgrad/core/tensor.hpp>

namespace xg::nn {

// How per-sample losses become the result: their mean or sum as a 0-D tensor,
// or the losses themselves.
enum class Reduction { none, mean, sum };

struct LossOptions {
  Reduction reduction = Reduction::mean;
};

struct CrossEntropyOptions {
  Reduction reduction = Reduction::mean;
  // In [0, 1]: the target becomes (1 - label_smoothing) one-hot + label_smoothing / classes, as in PyTorch.
  double label_smoothing = 0.0;
};

namespace functional {

// log-softmax and negative log-likelihood in one op, from raw logits (batch,
// classes) and one integer class label per row. The gradient is
// (softmax - target) per row, divided by the batch size for the mean.
template <class S>
BasicTensor<S> cross_entropy(const BasicTensor<S>& logits, std::span<const std::size_t> labels,
                             CrossEntropyOptions options = {});

// -log_probs[i, labels[i]] per row, for inputs that are already log-probabilities.
template <class S>
BasicTensor<S> nll_loss(const BasicTensor<S>& log_probs, std::span<const std::size_t> labels, LossOptions options = {});

// max(x, 0) - x t + log(1 + exp(-|x|)) elementwise: the binary cross-entropy of
// sigmoid(x) against targets t in [0, 1], never forming sigmoid(x) itself.
template <class S>
BasicTensor<S> binary_cross_entropy_with_logits(const BasicTensor<S>& logits, const BasicTensor<S>& targets,
                                                LossOptions options = {});

// (input - target)^2 elementwise; the shapes must be equal.
template <class S>
BasicTensor<S> mse_loss(const BasicTensor<S>& input, const BasicTensor<S>& target, LossOptions options = {});

}  // namespace functional
}  // namespace xg::nn
