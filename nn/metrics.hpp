#pragma once
// Classification metrics from logits (batch, classes) or predicted classes and
// integer labels. The predicted class of a row is its argmax (the first one on
// ties, as torch.argmax).

#include <cstddef>
#include <span>
#include <xgrad/core/array.hpp>
#include <xgrad/core/tensor.hpp>

namespace xg::nn {

// The fraction of rows whose argmax equals the label, in [0, 1].
template <class S>
double accuracy(const BasicTensor<S>& logits, std::span<const std::size_t> labels);

// The fraction of elements whose prediction (score > threshold) equals the
// target (0 or 1, same shape), in [0, 1], as torchmetrics' BinaryAccuracy:
// the threshold is 0.5 for probabilities, 0 for logits.
template <class S>
double binary_accuracy(const BasicTensor<S>& scores, const BasicTensor<S>& targets, double threshold = 0.5);

// counts(label, predicted): row = true class, column = predicted class, as
// sklearn and torchmetrics lay it out. Shape (num_classes, num_classes).
template <class S>
Array<std::size_t> confusion_matrix(const BasicTensor<S>& logits, std::span<const std::size_t> labels,
                                    std::size_t num_classes);
Array<std::size_t> confusion_matrix(std::span<const std::size_t> predictions, std::span<const std::size_t> labels,
                                    std::size_t num_classes);

}  // namespace xg::nn
