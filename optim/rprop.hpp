#pragma once
// Rprop: a step size per coordinate that grows while the gradient keeps its
// sign and shrinks when it flips; only the sign of the gradient is used:
// torch.optim.Rprop. Meant for full-batch training.

#include <array>

#include <xgrad/optim/optimizer.hpp>

namespace xg::optim {

struct RpropOptions {
  double lr = 1e-2;
  // (η−, η+): the factors a step size is multiplied by when the gradient
  // flips sign and when it keeps it; 0 < η− < 1 < η+.
  std::array<double, 2> etas{0.5, 1.2};
  // (minimum, maximum) of the step sizes.
  std::array<double, 2> step_sizes{1e-6, 50};
  bool maximize = false;
};

template <class Scalar>
class Rprop final : public Optimizer<Scalar, RpropOptions, Rprop<Scalar>> {
 public:
  using Optimizer<Scalar, RpropOptions, Rprop<Scalar>>::Optimizer;

  static constexpr const char* name = "Rprop";
  static constexpr std::array<const char*, 2> state_names{"prev", "step_size"};
  static constexpr std::array<const char*, 1> non_negative_state{"step_size"};

  static void for_each_option(auto& o, auto&& visit) {
    visit("lr", o.lr, Range::non_negative);
    visit("etas", o.etas, Range::positive);
    visit("step_sizes", o.step_sizes, Range::non_negative);
    visit("maximize", o.maximize);
  }
  static void check_constraints(const RpropOptions& o);
  // A zero gradient row keeps its value and its step sizes and sets its
  // `prev` to 0: the row update is exact once skipped rows' prev is zeroed.
  static bool sparse_exact(const RpropOptions&) { return true; }
  static std::array<double, 2> idle_decay(const RpropOptions&) { return {0, 1}; }
  static void update(const RpropOptions& o, ParamState<Scalar>& state, Array<Scalar>& param,
                     const Gradient<Scalar>& grad);
};

XGRAD_DECLARE_OPTIMIZER(Rprop, RpropOptions);

}  // namespace xg::optim
