#pragma once
// RMSprop: steps scaled by a running root mean square of the gradients,
// optionally centered and with momentum: torch.optim.RMSprop.

#include <array>

#include <xgrad/optim/optimizer.hpp>

namespace xg::optim {

struct RMSpropOptions {
  double lr = 0.01;
  double alpha = 0.99;
  double eps = 1e-8;
  double weight_decay = 0;
  double momentum = 0;
  bool centered = false;
  bool maximize = false;
  // Not in PyTorch: ε inside the square root, g/√(v + ε), as Dive into Deep
  // Learning (§12.8) writes it; PyTorch uses g/(√v + ε).
  bool eps_inside_sqrt = false;
};

template <class Scalar>
class RMSprop final : public Optimizer<Scalar, RMSpropOptions, RMSprop<Scalar>> {
 public:
  using Optimizer<Scalar, RMSpropOptions, RMSprop<Scalar>>::Optimizer;

  static constexpr const char* name = "RMSprop";
  static constexpr std::array<const char*, 3> state_names{"square_avg", "momentum_buffer", "grad_avg"};
  static constexpr std::array<const char*, 1> non_negative_state{"square_avg"};

  static void for_each_option(auto& o, auto&& visit) {
    visit("lr", o.lr, Range::non_negative);
    visit("alpha", o.alpha, Range::unit_closed);
    visit("eps", o.eps, Range::positive);
    visit("weight_decay", o.weight_decay, Range::non_negative);
    visit("momentum", o.momentum, Range::non_negative);
    visit("centered", o.centered);
    visit("maximize", o.maximize);
    visit("eps_inside_sqrt", o.eps_inside_sqrt);
  }
  // A zero gradient row keeps its value while square_avg and grad_avg decay
  // by α: the row update is exact when those decays are caught up. Momentum
  // and weight decay move rows without gradient.
  static bool sparse_exact(const RMSpropOptions& o) { return o.momentum == 0 && o.weight_decay == 0; }
  static std::array<double, 3> idle_decay(const RMSpropOptions& o) { return {o.alpha, 1, o.alpha}; }
  static void update(const RMSpropOptions& o, ParamState<Scalar>& state, Array<Scalar>& param,
                     const Gradient<Scalar>& grad);
};

XGRAD_DECLARE_OPTIMIZER(RMSprop, RMSpropOptions);

}  // namespace xg::optim
