#include <xgrad/optim/adafactor.hpp>

#include <algorithm>
#include <cmath>
#include <limits>
#include <sstream>
#include <stdexcept>
#include <type_traits>
#include <vector>

#include <xgrad/optim/detail/elementwise.hpp>
#include <xgrad/optim/detail/lerp.hpp>
#include <xgrad/optim/detail/optimizer_impl.hpp>

namespace xg::optim {

namespace {

// The sum over i < n of term(i), given a SIMD batch of terms at a time (one
// at a time for the tail; `width` says which): in Scalar within blocks of
// 4096 elements, the blocks added in double, so that a float sum of
// millions of terms stays accurate to about 1e-7.
template <class Scalar, class Term>
double sum_by_blocks(std::size_t n, Term term) {
  using Batch = xsimd::batch<Scalar, simd_arch>;
  constexpr std::size_t block = 4096;
  const std::size_t whole = n - n % Batch::size;
  double total = 0;
  std::size_t i = 0;
  while (i < whole) {
    Batch partial(Scalar(0));
    for (const std::size_t end = std::min(whole, i + block); i < end; i += Batch::size)
      partial += term(std::type_identity<Batch>{}, i);
    total += xsimd::hadd(partial);
  }
  for (; i < n; ++i) total += term(std::type_identity<Scalar>{}, i);
  return total;
}

}  // namespace

template <class Scalar>
void Adafactor<Scalar>::check_constraints(const AdafactorOptions& o) {
  auto text = [](double v) {
    std::ostringstream s;
    s << v;
    return s.str();
  };
  if (o.beta2_decay > 0)
    throw std::invalid_argument("Adafactor: invalid beta2_decay = " + text(o.beta2_decay) + " (must be <= 0)");
  if (o.d < 1) throw std::invalid_argument("Adafactor: invalid d = " + text(o.d) + " (must be >= 1)");
}

template <class Scalar>
Shape Adafactor<Scalar>::state_shape(std::size_t k, const Shape& param) {
  Shape shape = param;
  if (k < 2 && shape.size() >= 2) shape[shape.size() - 1 - k] = 1;
  return shape;
}

// Adafactor (Shazeer & Stern, 2018, "Adafactor: Adaptive Learning Rates with
// Sublinear Memory Cost"), as torch.optim.Adafactor's
// _single_tensor_adafactor computes it (PyTorch 2.5+; read at a 2.9-era
// revision), at step t with ε1 the machine epsilon when unset:
//   g ← ∇f(θ), negated when maximize;  w ← t^beta2_decay  (= 1 − β2_t)
//   ρ ← min(lr, 1/√t);  α ← max(ε2, RMS(θ))·ρ
//   θ ← θ·(1 − lr·λ)                                     weight_decay λ
//   2 or more dimensions, per matrix of the last two axes:
//     R ← lerp(R, mean_j g², w);  C ← lerp(C, mean_i g², w)
//     V̂_ij ← R_i·C_j / max(mean_i R_i, ε1)
//   otherwise  V̂ ← V ← lerp(V, g², w)
//   U ← g / √max(V̂, ε1²);  θ ← θ − α/max(1, RMS(U)/d)·U
// V̂ of a rank-one g² (g_ij² = x_i·y_j) equals the full estimate at t = 1.
template <class Scalar>
void Adafactor<Scalar>::update(const AdafactorOptions& o, ParamState<Scalar>& state, Array<Scalar>& param,
                               const Gradient<Scalar>& grad) {
  const double t = static_cast<double>(state.step);
  const Scalar w = static_cast<Scalar>(std::pow(t, o.beta2_decay));
  const double eps1 = o.eps.eps1.value_or(std::numeric_limits<Scalar>::epsilon());
  const double rho = std::min(o.lr, 1 / std::sqrt(t));
  const std::size_t size = param.size();
  auto rms = [size](double squares) { return size ? std::sqrt(squares / static_cast<double>(size)) : 0.0; };
  const Scalar* theta = param.data();
  const double alpha = std::max(o.eps.eps2, rms(sum_by_blocks<Scalar>(size,
                                                                      [=](auto width, std::size_t i) {
                                                                        using V = typename decltype(width)::type;
                                                                        const V p = detail::load<V>(theta + i);
                                                                        return V(p * p);
                                                                      }))) *
                       rho;
  if (o.weight_decay != 0) {
    const Scalar shrink = 1 - o.lr * o.weight_decay;
    for (Scalar& p : param) p *= shrink;
  }
  const Scalar sign = o.maximize ? -1 : 1, floor = static_cast<Scalar>(eps1 * eps1);
  if (param.dimension() < 2) {
    // Two SIMD passes and no array of U: the first updates V and sums
    // U² = g²/max(V, ε1²), the second applies U, reading V without writing
    // it back (through for_each_element, V's store made the step 1.6x the
    // memory-bound floor).
    Array<Scalar>& variance = state.buffer(state_slot(state_names, "variance"), param);
    Scalar* v_data = variance.data();
    const double u_squares = sum_by_blocks<Scalar>(size, [=](auto width, std::size_t i) {
      using V = typename decltype(width)::type;
      const V g = detail::load<V>(grad.values + i);
      const V v = lerp(detail::load<V>(v_data + i), V(g * g), w);
      detail::store(v_data + i, v);
      return V(g * g / xsimd::max(v, V(floor)));
    });
    const Scalar scale = static_cast<Scalar>(alpha / std::max(1.0, rms(u_squares) / o.d));
    auto apply = [&, scale](auto width, std::size_t i) {
      using V = typename decltype(width)::type;
      const V g = detail::load<V>(grad.values + i), v = detail::load<V>(v_data + i);
      detail::store(param.data() + i,
                    V(detail::load<V>(param.data() + i) - scale * sign * g / xsimd::sqrt(xsimd::max(v, V(floor)))));
    };
    using Batch = xsimd::batch<Scalar, simd_arch>;
    std::size_t i = 0;
    for (; i + Batch::size <= size; i += Batch::size) apply(std::type_identity<Batch>{}, i);
    for (; i < size; ++i) apply(std::type_identity<Scalar>{}, i);
    return;
  }
  const std::size_t n = param.shape()[param.dimension() - 2], m = param.shape()[param.dimension() - 1];
  const std::size_t matrices = n * m != 0 ? size / (n * m) : 0;
  constexpr std::size_t row_slot = state_slot(state_names, "row_var"), col_slot = state_slot(state_names, "col_var");
  Scalar* row_var = state.buffer_of_shape(row_slot, state_shape(row_slot, to_shape(param.shape()))).data();
  Scalar* col_var = state.buffer_of_shape(col_slot, state_shape(col_slot, to_shape(param.shape()))).data();
  Array<Scalar> step = Array<Scalar>::from_shape(param.shape());
  std::vector<double> col_sum(m);
  double u_squares = 0;
  for (std::size_t b = 0; b < matrices; ++b, row_var += n, col_var += m) {
    const Scalar* g = grad.values + b * n * m;
    std::fill(col_sum.begin(), col_sum.end(), 0.0);
    double row_var_sum = 0;
    for (std::size_t i = 0; i < n; ++i) {
      double row_sum = 0;
      for (std::size_t j = 0; j < m; ++j) {
        const double g2 = static_cast<double>(g[i * m + j]) * static_cast<double>(g[i * m + j]);
        row_sum += g2;
        col_sum[j] += g2;
      }
      row_var[i] = lerp(row_var[i], static_cast<Scalar>(row_sum / static_cast<double>(m)), w);
      row_var_sum += row_var[i];
    }
    for (std::size_t j = 0; j < m; ++j)
      col_var[j] = lerp(col_var[j], static_cast<Scalar>(col_sum[j] / static_cast<double>(n)), w);
    const Scalar row_var_mean =
        std::max(static_cast<Scalar>(row_var_sum / static_cast<double>(n)), static_cast<Scalar>(eps1));
    Scalar* u = step.data() + b * n * m;
    for (std::size_t i = 0; i < n; ++i)
      for (std::size_t j = 0; j < m; ++j) {
        const Scalar estimate = row_var[i] * col_var[j] / row_var_mean;
        u[i * m + j] = sign * g[i * m + j] / std::sqrt(std::max(estimate, floor));
        u_squares += static_cast<double>(u[i * m + j]) * static_cast<double>(u[i * m + j]);
      }
  }
  const Scalar scale = static_cast<Scalar>(alpha / std::max(1.0, rms(u_squares) / o.d));
  for (std::size_t i = 0; i < size; ++i) param.data()[i] -= scale * step.data()[i];
}

XGRAD_INSTANTIATE_OPTIMIZER(Adafactor, AdafactorOptions);

}  // namespace xg::optim
