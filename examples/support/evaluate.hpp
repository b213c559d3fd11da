#pragma once
// What the examples compute between epochs, without recording a graph.

#include <span>

#include <xgrad/xgrad.hpp>

namespace xg::examples {

// Classification accuracy of `model` on all rows of `features`, in eval mode.
inline double evaluate_accuracy(nn::Module& model, const Array<float>& features, std::span<const std::size_t> labels) {
  no_grad guard;
  model.eval();
  const double acc = nn::accuracy(model(Tensor(features)), labels);
  model.train();
  return acc;
}

}  // namespace xg::examples
