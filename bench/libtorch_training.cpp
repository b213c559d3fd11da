// LibTorch (Debian's libtorch-dev), written as its C++ frontend's users write
// it: nn modules, functional cross_entropy, torch::optim, and zero_grad,
// forward, backward, step. Batches are tensors built before the first step.

#include <torch/torch.h>

#include <cstdint>
#include <vector>

#include "implementations.hpp"

namespace bench {

namespace {

torch::Tensor matrix(const std::vector<float>& values, std::int64_t rows, std::int64_t columns) {
  return torch::from_blob(const_cast<float*>(values.data()), {rows, columns}, torch::kFloat32).clone();
}

torch::Tensor vector_of(const std::vector<float>& values) {
  return torch::from_blob(const_cast<float*>(values.data()), {static_cast<std::int64_t>(values.size())},
                          torch::kFloat32)
      .clone();
}

torch::Tensor label_tensor(const std::vector<std::size_t>& labels) {
  std::vector<std::int64_t> wide(labels.begin(), labels.end());
  return torch::tensor(wide, torch::kInt64);
}

struct DenseBatches {
  std::vector<torch::Tensor> inputs, labels;
};

DenseBatches dense_batches(const Workload& w) {
  DenseBatches out;
  for (const Batch& b : w.batches) {
    out.inputs.push_back(matrix(b.features, static_cast<std::int64_t>(b.rows), static_cast<std::int64_t>(w.inputs())));
    out.labels.push_back(label_tensor(b.labels));
  }
  return out;
}

torch::nn::Sequential build_model(const Workload& w) {
  torch::nn::Sequential model;
  torch::NoGradGuard no_grad;
  for (std::size_t l = 0; l < w.layers.size(); ++l) {
    const LinearInit& init = w.layers[l];
    torch::nn::Linear layer(init.in, init.out);
    layer->weight.copy_(matrix(init.weight, static_cast<std::int64_t>(init.out), static_cast<std::int64_t>(init.in)));
    layer->bias.copy_(vector_of(init.bias));
    model->push_back(layer);
    if (l + 1 < w.layers.size()) model->push_back(torch::nn::Tanh());
  }
  return model;
}

template <class Forward>
TrainingResult train_with(const Workload& w, torch::optim::Optimizer& optimizer, Forward&& forward,
                          const std::vector<torch::Tensor>& labels) {
  return run_training(w, [&](std::size_t s) {
    const std::size_t b = s % w.batches.size();
    optimizer.zero_grad();
    torch::Tensor loss = torch::nn::functional::cross_entropy(forward(b), labels[b]);
    loss.backward();
    optimizer.step();
    return static_cast<double>(loss.item<float>());
  });
}

}  // namespace

void set_libtorch_threads(int threads) { torch::set_num_threads(threads); }

TrainingResult train_libtorch(const Workload& w) {
  auto model = build_model(w);
  const auto batches = dense_batches(w);
  auto forward = [&](std::size_t b) { return model->forward(batches.inputs[b]); };
  if (w.optimizer == OptimizerKind::Adam) {
    torch::optim::Adam optimizer(model->parameters(), torch::optim::AdamOptions(w.lr));
    return train_with(w, optimizer, forward, batches.labels);
  }
  torch::optim::Adagrad optimizer(model->parameters(), torch::optim::AdagradOptions(w.lr));
  return train_with(w, optimizer, forward, batches.labels);
}

TrainingResult train_libtorch_embedding_bag(const Workload& w) {
  const LinearInit& init = w.layers.front();
  torch::nn::EmbeddingBag bag(
      torch::nn::EmbeddingBagOptions(static_cast<std::int64_t>(init.in), static_cast<std::int64_t>(init.out))
          .mode(torch::kSum)
          .sparse(true));
  auto bias = vector_of(init.bias).requires_grad_(true);
  {
    torch::NoGradGuard no_grad;
    bag->weight.copy_(matrix(init.weight, static_cast<std::int64_t>(init.out), static_cast<std::int64_t>(init.in)).t());
  }
  std::vector<torch::Tensor> words, offsets, counts, labels;
  for (const Batch& b : w.batches) {
    const auto& x = b.sparse;
    words.push_back(torch::tensor(std::vector<std::int64_t>(x.col.begin(), x.col.end()), torch::kInt64));
    offsets.push_back(torch::tensor(std::vector<std::int64_t>(x.row_ptr.begin(), x.row_ptr.end() - 1), torch::kInt64));
    counts.push_back(vector_of(x.val));
    labels.push_back(label_tensor(b.labels));
  }
  torch::optim::Adagrad optimizer({bag->weight, bias}, torch::optim::AdagradOptions(w.lr));
  auto forward = [&](std::size_t b) { return bag->forward(words[b], offsets[b], counts[b]) + bias; };
  return train_with(w, optimizer, forward, labels);
}

}  // namespace bench
