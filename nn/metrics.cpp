#include <algorithm>
#include <string>
#include <vector>
#include <xgrad/core/error.hpp>
#include <xgrad/core/message.hpp>
#include <xgrad/nn/metrics.hpp>

namespace xg::nn {

namespace {

template <class S>
std::vector<std::size_t> row_argmax(const char* op, const BasicTensor<S>& logits, std::size_t labels) {
  if (!logits.defined()) throw_invalid_argument(op, "the logits are an undefined tensor");
  if (logits.dim() != 2 || logits.shape()[1] == 0)
    throw_shape_error(
        op, "expects logits of shape (batch, classes) with at least one class, got " + shape_to_string(logits.shape()));
  const std::size_t rows = logits.shape()[0], classes = logits.shape()[1];
  if (labels != rows)
    throw_shape_error(op, "got " + std::to_string(labels) + " labels for " + std::to_string(rows) + " rows of logits");
  std::vector<std::size_t> out(rows);
  const S* x = logits.value().data();
  for (std::size_t i = 0; i < rows; ++i)
    out[i] = static_cast<std::size_t>(std::max_element(x + i * classes, x + (i + 1) * classes) - (x + i * classes));
  return out;
}

void check_class(const char* op, const char* what, std::size_t value, std::size_t row, std::size_t num_classes) {
  if (value >= num_classes)
    throw_invalid_argument(op, std::string(what) + " " + std::to_string(value) + " in row " + std::to_string(row) +
                                   " is out of range for " + std::to_string(num_classes) + " classes");
}

}  // namespace

template <class S>
double accuracy(const BasicTensor<S>& logits, std::span<const std::size_t> labels) {
  const auto predicted = row_argmax("accuracy", logits, labels.size());
  if (predicted.empty()) throw_invalid_argument("accuracy", "the accuracy of an empty batch is undefined");
  const std::size_t classes = logits.shape()[1];
  std::size_t correct = 0;
  for (std::size_t i = 0; i < predicted.size(); ++i) {
    check_class("accuracy", "label", labels[i], i, classes);
    correct += predicted[i] == labels[i];
  }
  return static_cast<double>(correct) / static_cast<double>(predicted.size());
}

template <class S>
double binary_accuracy(const BasicTensor<S>& scores, const BasicTensor<S>& targets, double threshold) {
  if (!scores.defined() || !targets.defined())
    throw_invalid_argument("binary_accuracy", "the scores and targets must be defined tensors");
  if (!shapes_equal(scores.shape(), targets.shape()))
    throw_shape_error("binary_accuracy", "scores of shape " + shape_to_string(scores.shape()) +
                                             " and targets of shape " + shape_to_string(targets.shape()) + " differ");
  if (scores.numel() == 0) throw_invalid_argument("binary_accuracy", "the accuracy of an empty batch is undefined");
  const S* x = scores.value().data();
  const S* t = targets.value().data();
  std::size_t correct = 0;
  for (std::size_t i = 0; i < scores.numel(); ++i) {
    if (t[i] != 0 && t[i] != 1)
      throw_invalid_argument("binary_accuracy",
                             "target " + number_text(t[i]) + " at flat index " + std::to_string(i) + " is not 0 or 1");
    correct += (x[i] > threshold) == (t[i] == 1);
  }
  return static_cast<double>(correct) / static_cast<double>(scores.numel());
}

Array<std::size_t> confusion_matrix(std::span<const std::size_t> predictions, std::span<const std::size_t> labels,
                                    std::size_t num_classes) {
  if (predictions.size() != labels.size())
    throw_shape_error("confusion_matrix", "got " + std::to_string(predictions.size()) + " predictions but " +
                                              std::to_string(labels.size()) + " labels");
  auto counts = Array<std::size_t>::from_shape({num_classes, num_classes});
  counts.fill(0);
  for (std::size_t i = 0; i < labels.size(); ++i) {
    check_class("confusion_matrix", "label", labels[i], i, num_classes);
    check_class("confusion_matrix", "prediction", predictions[i], i, num_classes);
    ++counts(labels[i], predictions[i]);
  }
  return counts;
}

template <class S>
Array<std::size_t> confusion_matrix(const BasicTensor<S>& logits, std::span<const std::size_t> labels,
                                    std::size_t num_classes) {
  const auto predicted = row_argmax("confusion_matrix", logits, labels.size());
  if (logits.shape()[1] != num_classes)
    throw_shape_error("confusion_matrix", "logits of shape " + shape_to_string(logits.shape()) + " have " +
                                              std::to_string(logits.shape()[1]) + " classes, but num_classes is " +
                                              std::to_string(num_classes));
  return confusion_matrix(std::span<const std::size_t>(predicted), labels, num_classes);
}

template double accuracy(const BasicTensor<float>&, std::span<const std::size_t>);
template double accuracy(const BasicTensor<double>&, std::span<const std::size_t>);
template double binary_accuracy(const BasicTensor<float>&, const BasicTensor<float>&, double);
template double binary_accuracy(const BasicTensor<double>&, const BasicTensor<double>&, double);
template Array<std::size_t> confusion_matrix(const BasicTensor<float>&, std::span<const std::size_t>, std::size_t);
template Array<std::size_t> confusion_matrix(const BasicTensor<double>&, std::span<const std::size_t>, std::size_t);

}  // namespace xg::nn
