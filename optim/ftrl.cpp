#include <xgrad/optim/ftrl.hpp>

#include <algorithm>
#include <cmath>
#include <stdexcept>
#include <string>
#include <type_traits>
#include <vector>

#include <xgrad/optim/detail/elementwise.hpp>
#include <xgrad/optim/detail/optimizer_impl.hpp>

namespace xg::optim {

namespace {

// x^e by xsimd's pow, a single value going through a batch of its own, so
// that a coordinate gets the same bits whether a dense step reaches it in a
// batch or a row-sparse one alone; e = 1/2, the default, is a square root.
template <class V, class Scalar>
V power_of(const V& x, Scalar e) {
  if (e == Scalar(0.5)) return xsimd::sqrt(x);
  using Batch = xsimd::batch<Scalar, simd_arch>;
  if constexpr (std::is_arithmetic_v<V>)
    return xsimd::pow(Batch(x), Batch(e)).get(0);
  else
    return xsimd::pow(x, V(e));
}

}  // namespace

template <class Scalar>
void Ftrl<Scalar>::check_constraints(const FtrlOptions& o) {
  if (o.learning_rate_power > 0)
    throw std::invalid_argument("Ftrl: invalid learning_rate_power = " + std::to_string(o.learning_rate_power) +
                                " (must be <= 0)");
  // Then a coordinate without gradient would be 0 / 0.
  if (o.initial_accumulator_value == 0 && o.learning_rate_power < 0 && o.l2 == 0 && o.beta == 0)
    throw std::invalid_argument(
        "Ftrl: initial_accumulator_value = 0 needs l2 > 0 or beta > 0 (or "
        "learning_rate_power = 0): a weight without gradient would be 0 / 0");
}

// FTRL-Proximal (McMahan et al., 2013, "Ad Click Prediction: a View from the
// Trenches", Algorithm 1), as Keras's Ftrl computes it (keras/src/optimizers/
// ftrl.py, update_step), per coordinate, with c = −learning_rate_power:
//   n' ← n + g²                        n starts at initial_accumulator_value
//   z  ← z + g − (n'^c − n^c)/lr · θ   z starts at 0
//   θ  ← (clip(z, −l1, l1) − z) / (n'^c/lr + 2·l2 + β/lr),   n ← n'
// |z| ≤ l1 gives θ = 0 exactly. θ is a function of z and n, so a zero
// gradient leaves it as it is, except on a coordinate's first step, where
// θ was its initial value: Keras's dense update sets it to θ(z = 0) = 0,
// and so does the first row-sparse step for the rows it does not hold.
template <class Scalar>
void Ftrl<Scalar>::update(const FtrlOptions& o, ParamState<Scalar>& state, Array<Scalar>& param,
                          const Gradient<Scalar>& grad) {
  const Scalar lr = o.lr, c = -o.learning_rate_power, l1 = o.l1;
  const Scalar quadratic_extra = 2 * (o.l2 + o.beta / (2 * o.lr));
  const Scalar initial = static_cast<Scalar>(o.initial_accumulator_value);
  for_each_element(
      [=](auto& p, auto& g, auto& n, auto& z) {
        using V = std::remove_reference_t<decltype(p)>;
        const V n_new = n + g * g;
        const V root_new = power_of(n_new, c);
        z += g - (root_new - power_of(n, c)) / lr * p;
        p = (xsimd::min(xsimd::max(z, V(-l1)), V(l1)) - z) / (root_new / lr + quadratic_extra);
        n = n_new;
      },
      param, grad, &state.buffer(state_slot(state_names, "accumulator"), param, initial),
      &state.buffer(state_slot(state_names, "linear"), param));
  if (grad.dense || state.step != 1) return;
  const std::size_t rows = param.shape()[0];
  std::vector<bool> held(rows, false);
  for (std::size_t row : grad.rows) held[row] = true;
  for (std::size_t row = 0; row < rows; ++row)
    if (!held[row]) std::fill_n(param.data() + row * grad.row_size, grad.row_size, Scalar(0));
}

XGRAD_INSTANTIATE_OPTIMIZER(Ftrl, FtrlOptions);

}  // namespace xg::optim
