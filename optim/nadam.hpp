#pragma once
// NAdam: Adam with Nesterov momentum, under a momentum schedule that warms
// up over the first steps: torch.optim.NAdam.

#include <array>

#include <xgrad/optim/optimizer.hpp>

namespace xg::optim {

struct NAdamOptions {
  double lr = 2e-3;
  std::array<double, 2> betas{0.9, 0.999};
  double eps = 1e-8;
  double weight_decay = 0;
  double momentum_decay = 4e-3;
  // Not in PyTorch (its SparseAdam; TensorFlow's LazyAdam): with a row-sparse
  // gradient, update only the rows it holds, with the global step in the bias
  // corrections. An approximation: in the dense algorithm rows without
  // gradient still move. Without it the gradient is made dense, exactly.
  bool lazy = false;
};

template <class Scalar>
class NAdam final : public Optimizer<Scalar, NAdamOptions, NAdam<Scalar>> {
 public:
  using Optimizer<Scalar, NAdamOptions, NAdam<Scalar>>::Optimizer;

  static constexpr const char* name = "NAdam";
  static constexpr std::array<const char*, 2> state_names{"exp_avg", "exp_avg_sq"};
  static constexpr std::array<const char*, 1> non_negative_state{"exp_avg_sq"};
  // The product of the scheduled momenta μ_1···μ_t.
  static constexpr std::array<ScalarState, 1> scalar_state{{{"mu_product", 1.0}}};

  static void for_each_option(auto& o, auto&& visit) {
    visit("lr", o.lr, Range::non_negative);
    visit("betas", o.betas, Range::unit_half_open);
    visit("eps", o.eps, Range::positive);
    visit("weight_decay", o.weight_decay, Range::non_negative);
    visit("momentum_decay", o.momentum_decay, Range::non_negative);
    visit("lazy", o.lazy);
  }
  static void update(const NAdamOptions& o, ParamState<Scalar>& state, Array<Scalar>& param,
                     const Gradient<Scalar>& grad);
};

XGRAD_DECLARE_OPTIMIZER(NAdam, NAdamOptions);

}  // namespace xg::optim
