#pragma once
// Loss functions, each one fused op with its own backward and numerically
// stable for any finite input. Templates over the scalar so that they can be
// gradchecked in float64; modules (nn/loss.hpp) wrap them for float32.

#include <cstddef>
#include <span>
#include <xgrad/core/tensor.hpp>

namespace xg::nn {

// How per-sample losses become the result: their mean or sum as a 0-D tensor,
// or the losses themselves; batchmean (kl_div only, as in PyTorch) is the
// sum over the first dimension's size, the true KL divergence per sample.
enum class Reduction { none, mean, sum, batchmean };

struct LossOptions {
  Reduction reduction = Reduction::mean;
};

struct CrossEntropyOptions {
  Reduction reduction = Reduction::mean;
  // In [0, 1]: the target becomes (1 - label_smoothing) one-hot + label_smoothing / classes, as in PyTorch.
  double label_smoothing = 0.0;
};

struct HuberLossOptions {
  Reduction reduction = Reduction::mean;
  double delta = 1.0;  // > 0: where the loss turns from quadratic to linear
};

struct SmoothL1LossOptions {
  Reduction reduction = Reduction::mean;
  double beta = 1.0;  // >= 0: where the loss turns from quadratic to linear; 0 is l1_loss
};

struct KLDivOptions {
  Reduction reduction = Reduction::mean;  // PyTorch's default; batchmean is the divergence per sample
  bool log_target = false;                // whether the target holds log-probabilities too
};

// The tensors' {} spares designated initializers ({.reduction = ...}) -Wmissing-field-initializers.
template <class S>
struct BinaryCrossEntropyOptions {
  Reduction reduction = Reduction::mean;
  BasicTensor<S> weight{};  // each element's factor, broadcast to the input's shape; none when undefined
};

template <class S>
struct BinaryCrossEntropyWithLogitsOptions {
  Reduction reduction = Reduction::mean;
  BasicTensor<S> weight{};      // each element's factor, broadcast to the input's shape; none when undefined
  BasicTensor<S> pos_weight{};  // the positive term's factor, broadcast to the input's shape (one per class)
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

// -w [p t log sigmoid(x) + (1 - t) log(1 - sigmoid(x))] elementwise, as
// torch.nn.functional.binary_cross_entropy_with_logits, never forming
// sigmoid(x) itself: stable for any finite x. w is options.weight and p
// options.pos_weight (1 when undefined); neither gets a gradient.
template <class S>
BasicTensor<S> binary_cross_entropy_with_logits(const BasicTensor<S>& logits, const BasicTensor<S>& targets,
                                                BinaryCrossEntropyWithLogitsOptions<S> options = {});

// (input - target)^2 elementwise; the shapes must be equal.
template <class S>
BasicTensor<S> mse_loss(const BasicTensor<S>& input, const BasicTensor<S>& target, LossOptions options = {});

// |input - target| elementwise; the shapes must be equal (as for every loss below).
template <class S>
BasicTensor<S> l1_loss(const BasicTensor<S>& input, const BasicTensor<S>& target, LossOptions options = {});

// 0.5 d^2 where |d| < delta, delta (|d| - 0.5 delta) elsewhere, d = input - target.
template <class S>
BasicTensor<S> huber_loss(const BasicTensor<S>& input, const BasicTensor<S>& target, HuberLossOptions options = {});

// 0.5 d^2 / beta where |d| < beta, |d| - 0.5 beta elsewhere: huber_loss / beta.
template <class S>
BasicTensor<S> smooth_l1_loss(const BasicTensor<S>& input, const BasicTensor<S>& target,
                              SmoothL1LossOptions options = {});

// target (log target - input) elementwise (0 where target is 0), for `input`
// holding log-probabilities; with .log_target, exp(target) (target - input).
template <class S>
BasicTensor<S> kl_div(const BasicTensor<S>& input, const BasicTensor<S>& target, KLDivOptions options = {});

// -weight [t log p + (1 - t) log(1 - p)] elementwise on probabilities p in
// [0, 1] (anything else is refused), each log clamped at -100 as PyTorch
// does, so p = 0 or 1 gives a finite loss.
template <class S>
BasicTensor<S> binary_cross_entropy(const BasicTensor<S>& input, const BasicTensor<S>& target,
                                    BinaryCrossEntropyOptions<S> options = {});

}  // namespace functional
}  // namespace xg::nn
