#pragma once
// LAMB: Adam's step, plus weight decay, rescaled per parameter tensor by the
// trust ratio ‖θ‖ / ‖step‖, so that every layer moves by the same fraction
// of its norm (large-batch training): optax's lamb.

#include <array>

#include <xgrad/optim/optimizer.hpp>

namespace xg::optim {

struct LAMBOptions {
  double lr = 1e-3;
  std::array<double, 2> betas{0.9, 0.999};
  double eps = 1e-6;
  double weight_decay = 0;
};

template <class Scalar>
class LAMB final : public Optimizer<Scalar, LAMBOptions, LAMB<Scalar>> {
 public:
  using Optimizer<Scalar, LAMBOptions, LAMB<Scalar>>::Optimizer;

  static constexpr const char* name = "LAMB";
  static constexpr std::array<const char*, 2> state_names{"exp_avg", "exp_avg_sq"};
  static constexpr std::array<const char*, 1> non_negative_state{"exp_avg_sq"};

  static void for_each_option(auto& o, auto&& visit) {
    visit("lr", o.lr, Range::non_negative);
    visit("betas", o.betas, Range::unit_half_open);
    visit("eps", o.eps, Range::positive);
    visit("weight_decay", o.weight_decay, Range::non_negative);
  }
  // The trust ratio depends on the whole tensor and rows without gradient
  // still move by their momentum: a row-sparse gradient is made dense.
  static void update(const LAMBOptions& o, ParamState<Scalar>& state, Array<Scalar>& param,
                     const Gradient<Scalar>& grad);
};

XGRAD_DECLARE_OPTIMIZER(LAMB, LAMBOptions);

}  // namespace xg::optim
