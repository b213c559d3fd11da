#pragma once
// Lion (EvoLved Sign Momentum): a step of the same size lr in every
// coordinate, in the direction of the sign of an interpolated momentum;
// the authors' reference code (google/automl lion/lion_pytorch.py).

#include <array>

#include <xgrad/optim/optimizer.hpp>

namespace xg::optim {

struct LionOptions {
  double lr = 1e-4;
  std::array<double, 2> betas{0.9, 0.99};
  double weight_decay = 0;
};

template <class Scalar>
class Lion final : public Optimizer<Scalar, LionOptions, Lion<Scalar>> {
 public:
  using Optimizer<Scalar, LionOptions, Lion<Scalar>>::Optimizer;

  static constexpr const char* name = "Lion";
  static constexpr std::array<const char*, 1> state_names{"exp_avg"};

  static void for_each_option(auto& o, auto&& visit) {
    visit("lr", o.lr, Range::non_negative);
    visit("betas", o.betas, Range::unit_half_open);
    visit("weight_decay", o.weight_decay, Range::non_negative);
  }
  // Rows without gradient still move by the sign of their momentum, so a
  // row-sparse gradient is made dense.
  static void update(const LionOptions& o, ParamState<Scalar>& state, Array<Scalar>& param,
                     const Gradient<Scalar>& grad);
};

XGRAD_DECLARE_OPTIMIZER(Lion, LionOptions);

}  // namespace xg::optim
