#pragma once
// One pass over a loader: the loop every example runs once per epoch.

#include <xgrad/xgrad.hpp>

namespace xg::examples {

// Trains `model` on every batch with cross-entropy and returns the mean loss
// over the samples seen.
inline double train_epoch(nn::Module& model, datasets::DataLoader& loader, optim::OptimizerBase& optimizer) {
  double loss_sum = 0;
  for (auto [x, y] : loader) {
    auto loss = nn::functional::cross_entropy(model(x), y);
    optimizer.zero_grad();
    loss.backward();
    optimizer.step();
    loss_sum += loss.item() * static_cast<double>(y.size());
  }
  return loss_sum / static_cast<double>(loader.num_samples());
}

}  // namespace xg::examples
