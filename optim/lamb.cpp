#include <xgrad/optim/lamb.hpp>

#include <cmath>
#include <type_traits>

#include <xgrad/optim/elementwise.hpp>
#include <xgrad/optim/optimizer_impl.hpp>

namespace xg::optim {

// LAMB (You et al., 2020, "Large Batch Optimization for Deep Learning:
// Training BERT in 76 minutes", Algorithm 2), as optax computes it
// (alias.lamb = scale_by_adam, add_decayed_weights, scale_by_trust_ratio,
// then the learning rate):
//   m ← β1·m + (1 − β1)·g,   v ← β2·v + (1 − β2)·g²
//   r ← (m / (1 − β1^t)) / (√(v / (1 − β2^t)) + ε) + λθ     weight_decay λ
//   θ ← θ − lr·(‖θ‖ / ‖r‖)·r      the ratio taken as 1 when ‖θ‖ or ‖r‖ is 0
// optax's conventions: eps outside the square root after the bias
// corrections (its eps_root is 0), weight decay added to Adam's step, not to
// the gradient, and the norms over the whole parameter tensor. The first
// pass updates m and v and sums the squares; the second recomputes r from
// them (the same arithmetic over the same batches, so the same r) rather
// than storing it.
template <class Scalar>
void LAMB<Scalar>::update(const LAMBOptions& o, ParamState<Scalar>& state, Array<Scalar>& param,
                          const Gradient<Scalar>& grad) {
  const double t = static_cast<double>(state.step), beta1 = o.betas[0], beta2 = o.betas[1];
  const Scalar b1 = beta1, b2 = beta2, rest1 = 1 - beta1, rest2 = 1 - beta2, eps = o.eps, decay = o.weight_decay;
  const Scalar bc1 = 1 - std::pow(beta1, t), bc2 = 1 - std::pow(beta2, t);
  auto adam_step = [=](const auto& p, const auto& m, const auto& v) {
    return (m / bc1) / (xsimd::sqrt(v / bc2) + eps) + decay * p;
  };
  Array<Scalar>* exp_avg = &state.buffer(0, param);
  Array<Scalar>* exp_avg_sq = &state.buffer(1, param);
  // The squares are summed lane by lane (a horizontal sum per batch made the
  // pass 1.5x slower), and the lanes added at the end.
  using Batch = xsimd::batch<Scalar, simd_arch>;
  Batch param_lanes(Scalar(0)), step_lanes(Scalar(0));
  Scalar param_tail = 0, step_tail = 0;
  for_each_element(
      [=, &param_lanes, &step_lanes, &param_tail, &step_tail](auto& p, auto& g, auto& m, auto& v) {
        m = b1 * m + rest1 * g;
        v = decayed_average(b2, v, rest2 * g * g);
        const auto r = adam_step(p, m, v);
        if constexpr (std::is_arithmetic_v<std::remove_reference_t<decltype(p)>>) {
          param_tail += p * p;
          step_tail += r * r;
        } else {
          param_lanes += p * p;
          step_lanes += r * r;
        }
      },
      param, grad, exp_avg, exp_avg_sq);
  const double param_sq = xsimd::hadd(param_lanes) + param_tail, step_sq = xsimd::hadd(step_lanes) + step_tail;
  const double trust = param_sq == 0 || step_sq == 0 ? 1 : std::sqrt(param_sq) / std::sqrt(step_sq);
  const Scalar step_size = o.lr * trust;
  // The second pass reads θ, m and v and writes θ alone: through
  // for_each_element it would also read g and write m and v back, 1.7x the
  // memory traffic of this loop.
  Scalar* p = param.data();
  const Scalar *m = exp_avg->data(), *v = exp_avg_sq->data();
  const std::size_t n = param.size();
  std::size_t i = 0;
  for (; i + Batch::size <= n; i += Batch::size) {
    const Batch pi = Batch::load_unaligned(p + i);
    (pi - step_size * adam_step(pi, Batch::load_unaligned(m + i), Batch::load_unaligned(v + i))).store_unaligned(p + i);
  }
  for (; i < n; ++i) p[i] -= step_size * adam_step(p[i], m[i], v[i]);
}

template class Optimizer<float, LAMBOptions, LAMB<float>>;
template class Optimizer<double, LAMBOptions, LAMB<double>>;
template class LAMB<float>;
template class LAMB<double>;

}  // namespace xg::optim
