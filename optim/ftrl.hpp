#pragma once
// FTRL-Proximal: follow the regularized leader, each weight the closed-form
// minimizer of the gradients seen so far plus an adaptive proximal term and
// an l1 penalty that sets weights of uninformative features exactly to 0;
// Adagrad's idea as it runs on large sparse models: Keras's Ftrl.

#include <array>

#include <xgrad/optim/optimizer.hpp>

namespace xg::optim {

struct FtrlOptions {
  double lr = 1e-3;
  double learning_rate_power = -0.5;
  double initial_accumulator_value = 0.1;
  double l1 = 0;
  double l2 = 0;
  double beta = 0;
};

template <class Scalar>
class Ftrl final : public Optimizer<Scalar, FtrlOptions, Ftrl<Scalar>> {
 public:
  using Optimizer<Scalar, FtrlOptions, Ftrl<Scalar>>::Optimizer;

  static constexpr const char* name = "Ftrl";
  static constexpr std::array<const char*, 2> state_names{"accumulator", "linear"};
  static constexpr std::array<const char*, 1> non_negative_state{"accumulator"};

  static void for_each_option(auto& o, auto&& visit) {
    visit("lr", o.lr, Range::positive);
    visit("learning_rate_power", o.learning_rate_power);
    visit("initial_accumulator_value", o.initial_accumulator_value, Range::non_negative);
    visit("l1", o.l1, Range::non_negative);
    visit("l2", o.l2, Range::non_negative);
    visit("beta", o.beta, Range::non_negative);
  }
  static void check_constraints(const FtrlOptions& o);
  // A weight is a function of its accumulators alone, which a zero gradient
  // leaves as they are, so a row-sparse gradient updates its rows alone,
  // exactly (while lr stays constant: a new lr rescales every weight).
  static bool sparse_exact(const FtrlOptions&) { return true; }
  static void update(const FtrlOptions& o, ParamState<Scalar>& state, Array<Scalar>& param,
                     const Gradient<Scalar>& grad);
};

XGRAD_DECLARE_OPTIMIZER(Ftrl, FtrlOptions);

}  // namespace xg::optim
