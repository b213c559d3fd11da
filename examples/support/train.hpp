#pragma once
// One step and one pass over a loader: the loop every example runs.

#include <functional>

#include <xgrad/xgrad.hpp>

namespace xg::examples {

// Called between backward and the optimizer's step with the batch's rows:
// where a data-parallel run averages the gradients across processes.
using AfterBackward = std::function<void(std::size_t rows)>;

// One optimizer step with cross-entropy on `batch` (a datasets::Batch, or a
// datasets::CsrBatch for a model that takes CSR input); returns the batch's
// mean loss. An empty batch (a process's share of a last partial batch) adds
// no gradient and counts a loss of 0.
template <class Model, class Batch>
double train_batch(Model& model, const Batch& batch, optim::OptimizerBase& optimizer,
                   const AfterBackward& after_backward = {}) {
  optimizer.zero_grad();
  double loss_value = 0;
  if (!batch.y.empty()) {
    auto loss = nn::functional::cross_entropy(model(batch.x), batch.y);
    loss.backward();
    loss_value = loss.item();
  }
  if (after_backward) after_backward(batch.y.size());
  optimizer.step();
  return loss_value;
}

// Trains `model` on every batch and returns the mean loss over the samples seen.
inline double train_epoch(nn::Module& model, datasets::DataLoader& loader, optim::OptimizerBase& optimizer) {
  double loss_sum = 0;
  for (const auto& batch : loader)
    loss_sum += train_batch(model, batch, optimizer) * static_cast<double>(batch.y.size());
  return loss_sum / static_cast<double>(loader.num_samples());
}

}  // namespace xg::examples
