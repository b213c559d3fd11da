#pragma once
// Adamax: Adam with the second moment replaced by a decaying infinity norm
// of the gradients: torch.optim.Adamax.

#include <array>

#include <xgrad/optim/optimizer.hpp>

namespace xg::optim {

struct AdamaxOptions {
  double lr = 2e-3;
  std::array<double, 2> betas{0.9, 0.999};
  double eps = 1e-8;
  double weight_decay = 0;
  bool maximize = false;
  // Not in PyTorch (its SparseAdam; TensorFlow's LazyAdam): with a row-sparse
  // gradient, update only the rows it holds, with the global step in the bias
  // corrections. An approximation: in the dense algorithm rows without
  // gradient still move. Without it the gradient is made dense, exactly.
  bool lazy = false;
};

template <class Scalar>
class Adamax final : public Optimizer<Scalar, AdamaxOptions, Adamax<Scalar>> {
 public:
  using Optimizer<Scalar, AdamaxOptions, Adamax<Scalar>>::Optimizer;

  static constexpr const char* name = "Adamax";
  static constexpr std::array<const char*, 2> state_names{"exp_avg", "exp_inf"};
  static constexpr std::array<const char*, 1> non_negative_state{"exp_inf"};

  static void for_each_option(auto& o, auto&& visit) {
    visit("lr", o.lr, Range::non_negative);
    visit("betas", o.betas, Range::unit_half_open);
    visit("eps", o.eps, Range::positive);
    visit("weight_decay", o.weight_decay, Range::non_negative);
    visit("maximize", o.maximize);
    visit("lazy", o.lazy);
  }
  static void update(const AdamaxOptions& o, ParamState<Scalar>& state, Array<Scalar>& param,
                     const Gradient<Scalar>& grad);
};

XGRAD_DECLARE_OPTIMIZER(Adamax, AdamaxOptions);

}  // namespace xg::optim
