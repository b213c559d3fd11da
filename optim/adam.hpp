#pragma once
// Adam: steps from bias-corrected running averages of the gradient and of
// its square, optionally with AMSGrad's running maximum: torch.optim.Adam.

#include <array>
#include <initializer_list>

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

template <class Scalar>
class Adam final : public Optimizer<Scalar, AdamOptions, Adam<Scalar>> {
 public:
  using Optimizer<Scalar, AdamOptions, Adam<Scalar>>::Optimizer;

  static constexpr const char* name = "Adam";
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
  static void update(const AdamOptions& o, ParamState<Scalar>& state, Array<Scalar>& param,
                     const Gradient<Scalar>& grad);
};

template <class S>
Adam(std::vector<BasicTensor<S>>, AdamOptions = {}) -> Adam<S>;
template <class S>
Adam(std::initializer_list<BasicTensor<S>>, AdamOptions = {}) -> Adam<S>;
template <class S>
Adam(NamedTensors<S>, AdamOptions = {}) -> Adam<S>;

extern template class Optimizer<float, AdamOptions, Adam<float>>;
extern template class Optimizer<double, AdamOptions, Adam<double>>;
extern template class Adam<float>;
extern template class Adam<double>;

}  // namespace xg::optim
