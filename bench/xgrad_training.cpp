// xgrad as a user writes it: a Sequential of Linear and Tanh, cross_entropy,
// an optimizer over model.parameters(), and the usual four lines per step.
// W3 sparse multiplies the CSR batch with sparse_addmm (bias + x·W), whose row-sparse
// weight gradient lets Adagrad update only the rows of the batch's words.

#include <algorithm>
#include <memory>

#include <xgrad/xgrad.hpp>

#include "implementations.hpp"

namespace bench {

namespace {

xg::nn::Sequential build_model(const Workload& w) {
  xg::nn::Sequential model;
  for (std::size_t l = 0; l < w.layers.size(); ++l) {
    const LinearInit& init = w.layers[l];
    xg::nn::Linear layer(init.in, init.out);
    std::copy(init.weight.begin(), init.weight.end(), layer.weight.value().data());
    std::copy(init.bias.begin(), init.bias.end(), layer.bias.value().data());
    model.push_back(std::move(layer));
    if (l + 1 < w.layers.size()) model.push_back(xg::nn::Tanh());
  }
  return model;
}

std::vector<xg::Tensor> input_tensors(const Workload& w) {
  std::vector<xg::Tensor> inputs;
  for (const Batch& b : w.batches) {
    auto x = xg::Array<float>::from_shape({b.rows, w.inputs()});
    std::copy(b.features.begin(), b.features.end(), x.data());
    inputs.emplace_back(std::move(x));
  }
  return inputs;
}

template <class Optimizer>
TrainingResult train_steps(const Workload& w, Optimizer& optimizer, auto&& forward) {
  return run_training(w, [&](std::size_t s) {
    const std::size_t b = s % w.batches.size();
    optimizer.zero_grad();
    auto loss = xg::nn::functional::cross_entropy(forward(b), w.batches[b].labels);
    loss.backward();
    optimizer.step();
    return static_cast<double>(loss.item());
  });
}

template <class Optimizer>
TrainingResult train_with(const Workload& w, xg::nn::Sequential& model, Optimizer& optimizer) {
  const auto inputs = input_tensors(w);
  return train_steps(w, optimizer, [&](std::size_t b) { return model(inputs[b]); });
}

}  // namespace

TrainingResult train_xgrad_sparse(const Workload& w) {
  const LinearInit& init = w.layers.front();
  // sparse_matmul computes x·W, so W is Linear's weight transposed: (in, out).
  auto weight = xg::zeros({init.in, init.out}, true);
  xg::Array<float>& weight_value = weight.value();
  for (std::size_t o = 0; o < init.out; ++o)
    for (std::size_t i = 0; i < init.in; ++i) weight_value(i, o) = init.weight[o * init.in + i];
  auto bias = xg::zeros({init.out}, true);
  std::copy(init.bias.begin(), init.bias.end(), bias.value().data());
  xg::optim::Adagrad<float> optimizer({weight, bias}, {.lr = w.lr});
  return train_steps(w, optimizer, [&](std::size_t b) { return xg::sparse_addmm(bias, w.batches[b].sparse, weight); });
}

TrainingResult train_xgrad(const Workload& w) {
  auto model = build_model(w);
  if (w.optimizer == OptimizerKind::Adam) {
    xg::optim::Adam<float> optimizer(model.parameters(), {.lr = w.lr});
    return train_with(w, model, optimizer);
  }
  xg::optim::Adagrad<float> optimizer(model.parameters(), {.lr = w.lr});
  return train_with(w, model, optimizer);
}

}  // namespace bench
