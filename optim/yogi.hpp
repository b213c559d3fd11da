#pragma once
// Yogi: Adam whose second moment moves by at most (1 − β2)·g² per step, in
// the direction of g², so that it cannot forget a large gradient as fast as
// Adam's average does: optax's yogi.

#include <array>

#include <xgrad/optim/optimizer.hpp>

namespace xg::optim {

struct YogiOptions {
  double lr = 1e-2;
  std::array<double, 2> betas{0.9, 0.999};
  double eps = 1e-3;
  double initial_accumulator_value = 1e-6;
};

template <class Scalar>
class Yogi final : public Optimizer<Scalar, YogiOptions, Yogi<Scalar>> {
 public:
  using Optimizer<Scalar, YogiOptions, Yogi<Scalar>>::Optimizer;

  static constexpr const char* name = "Yogi";
  static constexpr std::array<const char*, 2> state_names{"exp_avg", "exp_avg_sq"};
  static constexpr std::array<const char*, 1> non_negative_state{"exp_avg_sq"};

  static void for_each_option(auto& o, auto&& visit) {
    visit("lr", o.lr, Range::non_negative);
    visit("betas", o.betas, Range::unit_half_open);
    visit("eps", o.eps, Range::positive);
    visit("initial_accumulator_value", o.initial_accumulator_value, Range::non_negative);
  }
  // Rows without gradient still move by their momentum: a row-sparse
  // gradient is made dense.
  static void update(const YogiOptions& o, ParamState<Scalar>& state, Array<Scalar>& param,
                     const Gradient<Scalar>& grad);
};

XGRAD_DECLARE_OPTIMIZER(Yogi, YogiOptions);

}  // namespace xg::optim
