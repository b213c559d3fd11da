#pragma once
// RAdam: Adam whose adaptive step is switched on only once the variance of
// the adaptive learning rate is tractable, and rectified by its estimated
// size: torch.optim.RAdam.

#include <array>

#include <xgrad/optim/optimizer.hpp>

namespace xg::optim {

struct RAdamOptions {
  double lr = 1e-3;
  std::array<double, 2> betas{0.9, 0.999};
  double eps = 1e-8;
  double weight_decay = 0;
  // Not in PyTorch (its SparseAdam; TensorFlow's LazyAdam): with a row-sparse
  // gradient, update only the rows it holds, with the global step in the bias
  // corrections. An approximation: in the dense algorithm rows without
  // gradient still move. Without it the gradient is made dense, exactly.
  bool lazy = false;
};

template <class Scalar>
class RAdam final : public Optimizer<Scalar, RAdamOptions, RAdam<Scalar>> {
 public:
  using Optimizer<Scalar, RAdamOptions, RAdam<Scalar>>::Optimizer;

  static constexpr const char* name = "RAdam";
  static constexpr std::array<const char*, 2> state_names{"exp_avg", "exp_avg_sq"};
  static constexpr std::array<const char*, 1> non_negative_state{"exp_avg_sq"};

  static void for_each_option(auto& o, auto&& visit) {
    visit("lr", o.lr, Range::non_negative);
    visit("betas", o.betas, Range::unit_half_open);
    visit("eps", o.eps, Range::positive);
    visit("weight_decay", o.weight_decay, Range::non_negative);
    visit("lazy", o.lazy);
  }
  static void update(const RAdamOptions& o, ParamState<Scalar>& state, Array<Scalar>& param,
                     const Gradient<Scalar>& grad);
};

XGRAD_DECLARE_OPTIMIZER(RAdam, RAdamOptions);

}  // namespace xg::optim
