#pragma once
// AdaBelief: Adam whose second moment is the running variance of the
// gradient around its running mean (the "belief" in the observed gradient)
// instead of its raw square: optax's adabelief.

#include <array>

#include <xgrad/optim/optimizer.hpp>

namespace xg::optim {

struct AdaBeliefOptions {
  double lr = 1e-3;
  std::array<double, 2> betas{0.9, 0.999};
  double eps = 1e-16;
  double eps_root = 1e-16;
};

template <class Scalar>
class AdaBelief final : public Optimizer<Scalar, AdaBeliefOptions, AdaBelief<Scalar>> {
 public:
  using Optimizer<Scalar, AdaBeliefOptions, AdaBelief<Scalar>>::Optimizer;

  static constexpr const char* name = "AdaBelief";
  static constexpr std::array<const char*, 2> state_names{"exp_avg", "exp_avg_var"};
  static constexpr std::array<const char*, 1> non_negative_state{"exp_avg_var"};

  static void for_each_option(auto& o, auto&& visit) {
    visit("lr", o.lr, Range::non_negative);
    visit("betas", o.betas, Range::unit_half_open);
    visit("eps", o.eps, Range::positive);
    visit("eps_root", o.eps_root, Range::non_negative);
  }
  // Rows without gradient still move by their momentum: a row-sparse
  // gradient is made dense.
  static void update(const AdaBeliefOptions& o, ParamState<Scalar>& state, Array<Scalar>& param,
                     const Gradient<Scalar>& grad);
};

XGRAD_DECLARE_OPTIMIZER(AdaBelief, AdaBeliefOptions);

}  // namespace xg::optim
