#pragma once
// AdamW: Adam with the weight decay applied to the weights directly instead
// of through the gradient: torch.optim.AdamW. The update is Adam's
// (adam.cpp); checkpoints name it AdamW, and only AdamW loads them.

#include <array>

#include <xgrad/optim/adam.hpp>

namespace xg::optim {

// AdamOptions with PyTorch's AdamW default weight_decay = 1e-2.
struct AdamWOptions {
  double lr = 1e-3;
  std::array<double, 2> betas{0.9, 0.999};
  double eps = 1e-8;
  double weight_decay = 1e-2;
  bool amsgrad = false;
  bool maximize = false;
  bool lazy = false;  // as AdamOptions::lazy
};

template <class Scalar>
class AdamW final : public AdamPolicy<Scalar, AdamWOptions, AdamW<Scalar>, true> {
 public:
  using AdamPolicy<Scalar, AdamWOptions, AdamW<Scalar>, true>::AdamPolicy;

  static constexpr const char* name = "AdamW";
};

XGRAD_DECLARE_OPTIMIZER(AdamW, AdamWOptions);
extern template class AdamPolicy<float, AdamWOptions, AdamW<float>, true>;
extern template class AdamPolicy<double, AdamWOptions, AdamW<double>, true>;

}  // namespace xg::optim
