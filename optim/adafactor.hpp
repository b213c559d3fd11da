#pragma once
// Adafactor: an Adam-like step without first moment whose second moment of
// a matrix is kept factored, as its row and column means (n + m numbers for
// n×m), with a step relative to the parameter's RMS and update clipping:
// torch.optim.Adafactor.

#include <array>
#include <optional>

#include <xgrad/optim/optimizer.hpp>

namespace xg::optim {

struct AdafactorEps {
  // Floor of the variance estimate's square root; unset: the machine
  // epsilon of the parameter's type. Must be > 0 (PyTorch allows 0, which
  // turns a coordinate whose gradient stayed 0 into 0/0 = NaN).
  std::optional<double> eps1{};
  // Floor of the parameter RMS that scales the step.
  double eps2 = 1e-3;
};

struct AdafactorOptions {
  double lr = 1e-2;
  // β2 at step t is 1 − t^beta2_decay.
  double beta2_decay = -0.8;
  AdafactorEps eps{};
  // Clipping threshold: the update is scaled down to RMS ≤ d.
  double d = 1;
  double weight_decay = 0;
  bool maximize = false;
};

template <class Scalar>
class Adafactor final : public Optimizer<Scalar, AdafactorOptions, Adafactor<Scalar>> {
 public:
  using Optimizer<Scalar, AdafactorOptions, Adafactor<Scalar>>::Optimizer;

  static constexpr const char* name = "Adafactor";
  // row_var and col_var for parameters of 2 or more dimensions (the means of
  // g² over the last and the second-to-last axis, that axis kept as 1),
  // variance for vectors and scalars.
  static constexpr std::array<const char*, 3> state_names{"row_var", "col_var", "variance"};
  static constexpr std::array<const char*, 3> non_negative_state{"row_var", "col_var", "variance"};

  static void for_each_option(auto& o, auto&& visit) {
    visit("lr", o.lr, Range::non_negative);
    visit("beta2_decay", o.beta2_decay);
    visit("eps1", o.eps.eps1, Range::positive);
    visit("eps2", o.eps.eps2, Range::non_negative);
    visit("d", o.d);
    visit("weight_decay", o.weight_decay, Range::non_negative);
    visit("maximize", o.maximize);
  }
  static void check_constraints(const AdafactorOptions& o);
  static Shape state_shape(std::size_t k, const Shape& param);
  static void update(const AdafactorOptions& o, ParamState<Scalar>& state, Array<Scalar>& param,
                     const Gradient<Scalar>& grad);
};

XGRAD_DECLARE_OPTIMIZER(Adafactor, AdafactorOptions);

}  // namespace xg::optim
