#pragma once
// One step and one pass over a loader: the loop every example runs.

#include <xgrad/xgrad.hpp>

namespace xg::examples {

// One optimizer step with cross-entropy on `batch` (a datasets::Batch, or a
// datasets::CsrBatch for a model that takes CSR input); returns the batch's
// mean loss before the step. Through step(closure), so that LBFGS, which
// re-evaluates the loss, runs too; the others evaluate it once.
template <class Model, class Batch>
double train_batch(Model& model, const Batch& batch, optim::OptimizerBase& optimizer) {
  return optimizer.step([&] {
    auto loss = nn::functional::cross_entropy(model(batch.x), batch.y);
    optimizer.zero_grad();
    loss.backward();
    return loss.item();
  });
}

// Trains `model` on every batch and returns the mean loss over the samples seen.
inline double train_epoch(nn::Module& model, datasets::DataLoader& loader, optim::OptimizerBase& optimizer) {
  double loss_sum = 0;
  for (const auto& batch : loader)
    loss_sum += train_batch(model, batch, optimizer) * static_cast<double>(batch.y.size());
  return loss_sum / static_cast<double>(loader.num_samples());
}

}  // namespace xg::examples
