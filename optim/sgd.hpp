#pragma once
// Stochastic gradient descent, optionally with (Nesterov) momentum:
// torch.optim.SGD.

#include <array>

#include <xgrad/optim/optimizer.hpp>

namespace xg::optim {

struct SGDOptions {
  double lr = 1e-3;  // PyTorch's default since 2.2 (before, lr had to be given)
  double momentum = 0;
  double dampening = 0;
  double weight_decay = 0;
  bool nesterov = false;
  bool maximize = false;
  // Not in PyTorch: with a row-sparse gradient and momentum, update only the
  // rows it holds (their momentum buffer included); rows without gradient
  // stop coasting. An approximation; without it the gradient is made dense.
  bool lazy = false;
};

template <class Scalar>
class SGD final : public Optimizer<Scalar, SGDOptions, SGD<Scalar>> {
 public:
  using Optimizer<Scalar, SGDOptions, SGD<Scalar>>::Optimizer;

  static constexpr const char* name = "SGD";
  static constexpr std::array<const char*, 1> state_names{"momentum_buffer"};

  static void for_each_option(auto& o, auto&& visit) {
    visit("lr", o.lr, Range::non_negative);
    visit("momentum", o.momentum, Range::non_negative);
    visit("dampening", o.dampening, Range::finite);
    visit("weight_decay", o.weight_decay, Range::non_negative);
    visit("nesterov", o.nesterov);
    visit("maximize", o.maximize);
    visit("lazy", o.lazy);
  }
  // Without momentum or weight decay a zero gradient row does not move.
  static bool sparse_exact(const SGDOptions& o) { return o.momentum == 0 && o.weight_decay == 0; }
  static void check_constraints(const SGDOptions& o);
  static void update(const SGDOptions& o, ParamState<Scalar>& state, Array<Scalar>& param,
                     const Gradient<Scalar>& grad);
};

XGRAD_DECLARE_OPTIMIZER(SGD, SGDOptions);

}  // namespace xg::optim
