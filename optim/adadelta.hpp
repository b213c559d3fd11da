#pragma once
// Adadelta: steps whose size comes from running averages of past squared
// gradients and past squared steps, so that the update has the units of the
// parameter: torch.optim.Adadelta.

#include <array>

#include <xgrad/optim/optimizer.hpp>

namespace xg::optim {

struct AdadeltaOptions {
  double lr = 1.0;
  double rho = 0.9;
  double eps = 1e-6;
  double weight_decay = 0;
  bool maximize = false;
};

template <class Scalar>
class Adadelta final : public Optimizer<Scalar, AdadeltaOptions, Adadelta<Scalar>> {
 public:
  using Optimizer<Scalar, AdadeltaOptions, Adadelta<Scalar>>::Optimizer;

  static constexpr const char* name = "Adadelta";
  static constexpr std::array<const char*, 2> state_names{"square_avg", "acc_delta"};
  static constexpr std::array<const char*, 2> non_negative_state{"square_avg", "acc_delta"};

  static void for_each_option(auto& o, auto&& visit) {
    visit("lr", o.lr, Range::non_negative);
    visit("rho", o.rho, Range::unit_closed);
    visit("eps", o.eps, Range::positive);
    visit("weight_decay", o.weight_decay, Range::non_negative);
    visit("maximize", o.maximize);
  }
  // A zero gradient row keeps its value while square_avg and acc_delta decay
  // by ρ: the row update is exact when those decays are caught up.
  static bool sparse_exact(const AdadeltaOptions& o) { return o.weight_decay == 0; }
  static std::array<double, 2> idle_decay(const AdadeltaOptions& o) { return {o.rho, o.rho}; }
  static void update(const AdadeltaOptions& o, ParamState<Scalar>& state, Array<Scalar>& param,
                     const Gradient<Scalar>& grad);
};

XGRAD_DECLARE_OPTIMIZER(Adadelta, AdadeltaOptions);

}  // namespace xg::optim
