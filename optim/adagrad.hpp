#pragma once
// Adagrad: a per-coordinate step that shrinks with the gradients that
// coordinate has seen, so rarely active features keep large steps:
// torch.optim.Adagrad.

#include <array>

#include <xgrad/optim/optimizer.hpp>

namespace xg::optim {

struct AdagradOptions {
  double lr = 0.01;
  double lr_decay = 0;
  double weight_decay = 0;
  double initial_accumulator_value = 0;
  double eps = 1e-10;
  bool maximize = false;
  // Not in PyTorch: ε inside the square root, g/√(s + ε), as Dive into Deep
  // Learning (§12.7) writes it; PyTorch and the paper use g/(√s + ε).
  bool eps_inside_sqrt = false;
};

template <class Scalar>
class Adagrad final : public Optimizer<Scalar, AdagradOptions, Adagrad<Scalar>> {
 public:
  using Optimizer<Scalar, AdagradOptions, Adagrad<Scalar>>::Optimizer;

  static constexpr const char* name = "Adagrad";
  static constexpr std::array<const char*, 1> state_names{"sum"};
  static constexpr std::array<const char*, 1> non_negative_state{"sum"};

  static void for_each_option(auto& o, auto&& visit) {
    visit("lr", o.lr, Range::non_negative);
    visit("lr_decay", o.lr_decay, Range::non_negative);
    visit("weight_decay", o.weight_decay, Range::non_negative);
    visit("initial_accumulator_value", o.initial_accumulator_value, Range::non_negative);
    visit("eps", o.eps, Range::positive);
    visit("maximize", o.maximize);
    visit("eps_inside_sqrt", o.eps_inside_sqrt);
  }
  // A zero gradient row changes neither the row nor its sum, so a sparse
  // gradient updates its rows alone, exactly; weight decay would move every row.
  static bool sparse_exact(const AdagradOptions& o) { return o.weight_decay == 0; }
  static void update(const AdagradOptions& o, ParamState<Scalar>& state, Array<Scalar>& param,
                     const Gradient<Scalar>& grad);
};

XGRAD_DECLARE_OPTIMIZER(Adagrad, AdagradOptions);

}  // namespace xg::optim
