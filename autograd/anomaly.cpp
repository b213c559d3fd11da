#include <xgrad/autograd/anomaly.hpp>

#include <cmath>
#include <cstddef>
#include <optional>
#include <span>
#include <utility>
#include <vector>

#include <xgrad/core/array.hpp>
#include <xgrad/core/message.hpp>

namespace xg::autograd {

namespace {

struct Label {
  std::string name;
  std::source_location where;
};

thread_local std::vector<Label> labels;

template <class Inputs>
std::string input_shapes(const Inputs& inputs) {
  std::string shapes;
  for (std::size_t i = 0; i < inputs.size(); ++i) shapes += (i ? ", " : "") + shape_to_string(inputs[i]->value.shape());
  return inputs.empty() ? "none" : shapes;
}

[[noreturn]] void throw_anomaly(const char* op, const char* phase, const std::string& what, const std::string& shapes,
                                const std::string& origin) {
  throw AnomalyError(std::string("detect_anomaly: ") + phase + " of '" + op + "' " + what +
                     "; input shapes: " + shapes + "; created under " + origin);
}

}  // namespace

anomaly_label::anomaly_label(std::string label, std::source_location where) {
  labels.push_back({std::move(label), where});
}

anomaly_label::~anomaly_label() { labels.pop_back(); }

std::string anomaly_origin() {
  if (labels.empty()) return "no anomaly_label scope";
  std::string path;
  for (std::size_t i = 0; i < labels.size(); ++i) path += (i ? "/" : "") + labels[i].name;
  const std::source_location& where = labels.back().where;
  return "label '" + path + "' (opened at " + where.file_name() + ":" + std::to_string(where.line()) + ")";
}

template <class Scalar>
void check_forward_anomaly(const char* op, const Array<Scalar>& value, std::span<const Node<Scalar>* const> inputs) {
  const auto bad = first_non_finite(value);
  if (!bad) return;
  std::string what = "produced a non-finite value (" + describe_element(value, *bad) + " of shape " +
                     shape_to_string(value.shape()) + ")";
  for (std::size_t i = 0; i < inputs.size(); ++i)
    if (const auto in = first_non_finite(inputs[i]->value))
      what += "; input " + std::to_string(i) + " (from '" + inputs[i]->op + "') already held " +
              describe_element(inputs[i]->value, *in);
  throw_anomaly(op, "forward", what, input_shapes(inputs), anomaly_origin());
}

template <class Scalar>
void check_backward_anomaly(const Node<Scalar>& node) {
  auto report = [&node](std::size_t input, const std::string& where) {
    throw_anomaly(node.op, "backward",
                  "produced a non-finite gradient for input " + std::to_string(input) + " (" + where + ")",
                  input_shapes(node.inputs), node.origin.empty() ? "an op recorded outside anomaly mode" : node.origin);
  };
  for (std::size_t i = 0; i < node.inputs.size(); ++i) {
    const Node<Scalar>& input = *node.inputs[i];
    if (input.has_grad)
      if (const auto bad = first_non_finite(input.grad))
        report(i, describe_element(input.grad, *bad) + " of shape " + shape_to_string(input.grad.shape()));
    // Row-sparse gradients (sparse_matmul, EmbeddingBag) are checked as
    // dense ones: the optimizer would spread a NaN row into the weights.
    if (input.sparse_grad)
      if (const auto bad = first_non_finite(input.sparse_grad->values)) {
        const std::size_t row = input.sparse_grad->rows[*bad / input.sparse_grad->row_size()];
        report(i, describe_element(input.sparse_grad->values, *bad) + " of its row-sparse values, in row " +
                      std::to_string(row) + " of shape " + shape_to_string(input.value.shape()));
      }
  }
}

template void check_forward_anomaly(const char*, const Array<float>&, std::span<const Node<float>* const>);
template void check_forward_anomaly(const char*, const Array<double>&, std::span<const Node<double>* const>);
template void check_backward_anomaly(const Node<float>&);
template void check_backward_anomaly(const Node<double>&);

}  // namespace xg::autograd
