#pragma once
// Adam: steps from bias-corrected running averages of the gradient and of
// its square, optionally with AMSGrad's running maximum: torch.optim.Adam.
// AdamW (adamw.hpp) is the same update with the weight decay decoupled from
// the gradient, as torch.optim.AdamW is Adam with decoupled_weight_decay.

#include <array>

#include <xgrad/optim/optimizer.hpp>

namespace xg::optim {

struct AdamOptions {
  double lr = 1e-3;
  std::array<double, 2> betas{0.9, 0.999};
  double eps = 1e-8;
  double weight_decay = 0;
  bool amsgrad = false;
  bool maximize = false;
  // Not in PyTorch (its SparseAdam; TensorFlow's LazyAdam): with a row-sparse
  // gradient, update only the rows it holds, with the global step in the bias
  // corrections. An approximation: in the dense algorithm rows without
  // gradient still move. Without it the gradient is made dense, exactly.
  bool lazy = false;
};

// The policy of Adam and AdamW, which differ in their name, their default
// weight_decay and where the decay enters: with `decoupled_weight_decay` it
// shrinks the weights, θ ← θ·(1 − lr·λ), instead of adding λθ to the gradient.
template <class Scalar, class Options, class Derived, bool decoupled_weight_decay>
class AdamPolicy : public Optimizer<Scalar, Options, Derived> {
 public:
  using Optimizer<Scalar, Options, Derived>::Optimizer;

  static constexpr std::array<const char*, 3> state_names{"exp_avg", "exp_avg_sq", "max_exp_avg_sq"};
  static constexpr std::array<const char*, 2> non_negative_state{"exp_avg_sq", "max_exp_avg_sq"};

  static void for_each_option(auto& o, auto&& visit) {
    visit("lr", o.lr, Range::non_negative);
    visit("betas", o.betas, Range::unit_half_open);
    visit("eps", o.eps, Range::positive);
    visit("weight_decay", o.weight_decay, Range::non_negative);
    visit("amsgrad", o.amsgrad);
    visit("maximize", o.maximize);
    visit("lazy", o.lazy);
  }
  static void update(const Options& o, ParamState<Scalar>& state, Array<Scalar>& param, const Gradient<Scalar>& grad);
};

template <class Scalar>
class Adam final : public AdamPolicy<Scalar, AdamOptions, Adam<Scalar>, false> {
 public:
  using AdamPolicy<Scalar, AdamOptions, Adam<Scalar>, false>::AdamPolicy;

  static constexpr const char* name = "Adam";
};

XGRAD_DECLARE_OPTIMIZER(Adam, AdamOptions);
extern template class AdamPolicy<float, AdamOptions, Adam<float>, false>;
extern template class AdamPolicy<double, AdamOptions, Adam<double>, false>;

}  // namespace xg::optim
