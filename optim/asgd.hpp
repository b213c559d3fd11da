#pragma once
// ASGD: SGD with a decaying step and, from step t0 on, a running average of
// the iterates (Polyak-Ruppert averaging) kept in the state as `ax`:
// torch.optim.ASGD.

#include <array>

#include <xgrad/optim/optimizer.hpp>

namespace xg::optim {

struct ASGDOptions {
  double lr = 1e-2;
  double lambd = 1e-4;
  double alpha = 0.75;
  // The step from which ax averages the iterates (before it, ax is θ).
  double t0 = 1e6;
  double weight_decay = 0;
  bool maximize = false;
};

template <class Scalar>
class ASGD final : public Optimizer<Scalar, ASGDOptions, ASGD<Scalar>> {
 public:
  using Optimizer<Scalar, ASGDOptions, ASGD<Scalar>>::Optimizer;

  static constexpr const char* name = "ASGD";
  static constexpr std::array<const char*, 1> state_names{"ax"};
  // The step size η of the next update (the group's lr at the first) and
  // the averaging weight μ; PyTorch's state["eta"] and state["mu"].
  static constexpr std::array<ScalarState, 2> scalar_state{{{"eta", 0.0}, {"mu", 1.0}}};

  static void for_each_option(auto& o, auto&& visit) {
    visit("lr", o.lr, Range::non_negative);
    visit("lambd", o.lambd, Range::non_negative);
    visit("alpha", o.alpha);
    visit("t0", o.t0);
    visit("weight_decay", o.weight_decay, Range::non_negative);
    visit("maximize", o.maximize);
  }
  static void update(const ASGDOptions& o, ParamState<Scalar>& state, Array<Scalar>& param,
                     const Gradient<Scalar>& grad);
};

XGRAD_DECLARE_OPTIMIZER(ASGD, ASGDOptions);

}  // namespace xg::optim
