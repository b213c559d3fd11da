#pragma once
// Shampoo: full-matrix Adagrad made affordable for a weight matrix by a
// Kronecker-factored preconditioner, one factor per side (Gupta, Koren &
// Singer, 2018, Algorithm 1); vectors keep full-matrix Adagrad.

#include <array>
#include <cstdint>

#include <xgrad/optim/optimizer.hpp>

namespace xg::optim {

// How the preconditioned direction is scaled: as it comes (none), or to the
// norm of diagonal Adagrad's step for the same parameter (adagrad), which
// keeps a learning rate tuned for Adagrad meaningful.
enum class ShampooGraft : std::uint8_t { none, adagrad };

struct ShampooOptions {
  double lr = 1e-1;
  double epsilon = 1e-4;
  std::int64_t update_freq = 1;
  ShampooGraft graft = ShampooGraft::none;
};

// root ← S^(−exponent) for a symmetric positive definite S (n × n),
// from LAPACK's symmetric eigendecomposition (syevd through
// xt::linalg::eigh): V·diag(λ^(−exponent))·Vᵀ, eigenvalues below `floor`
// raised to it; a non-finite S is refused (std::invalid_argument). Shampoo's
// matrix work, public for the benchmark.
template <class Scalar>
void inverse_root(const Array<Scalar>& s, double exponent, double floor, Array<Scalar>& root);

template <class Scalar>
class Shampoo final : public Optimizer<Scalar, ShampooOptions, Shampoo<Scalar>> {
 public:
  using Optimizer<Scalar, ShampooOptions, Shampoo<Scalar>>::Optimizer;

  static constexpr const char* name = "Shampoo";
  // A parameter with 2 or more dimensions is the matrix (shape[0], the
  // rest): left and right statistics and their cached inverse roots. A
  // vector (or a scalar) has one full statistic and its root, in the left
  // slots. graft_sum is Adagrad's sum of squares, only with graft = adagrad.
  static constexpr std::array<const char*, 5> state_names{"preconditioner_left", "preconditioner_right",
                                                          "inverse_root_left", "inverse_root_right", "graft_sum"};

  static void for_each_option(auto& o, auto&& visit) {
    visit("lr", o.lr, Range::non_negative);
    visit("epsilon", o.epsilon, Range::positive);
    visit("update_freq", o.update_freq, Range::positive);
    visit("graft", o.graft);
  }
  static void check_constraints(const ShampooOptions& o);
  static Shape state_shape(std::size_t k, const Shape& param);
  // The preconditioner mixes every row: a row-sparse gradient is made dense.
  static void update(const ShampooOptions& o, ParamState<Scalar>& state, Array<Scalar>& param,
                     const Gradient<Scalar>& grad);
};

XGRAD_DECLARE_OPTIMIZER(Shampoo, ShampooOptions);

}  // namespace xg::optim
