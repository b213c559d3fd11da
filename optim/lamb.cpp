#include <xgrad/optim/lamb.hpp>

#include <cmath>
#include <type_traits>

#include <xgrad/optim/detail/elementwise.hpp>
#include <xgrad/optim/detail/optimizer_impl.hpp>

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
// the gradient, and the norms over the whole parameter tensor.
template <class Scalar>
void LAMB<Scalar>::update(const LAMBOptions& o, ParamState<Scalar>& state, Array<Scalar>& param,
                          const Gradient<Scalar>& grad) {
  const double t = static_cast<double>(state.step), beta1 = o.betas[0], beta2 = o.betas[1];
  const Scalar b1 = beta1, b2 = beta2, rest1 = 1 - beta1, rest2 = 1 - beta2, eps = o.eps, decay = o.weight_decay;
  const Scalar bc1 = 1 - std::pow(beta1, t), bc2 = 1 - std::pow(beta2, t);
  auto adam_step = [=](const auto& p, const auto& m, const auto& v) {
    return (m / bc1) / (xsimd::sqrt(v / bc2) + eps) + decay * p;
  };
  // The gradient is always dense here (see lamb.hpp). Both passes are
  // written out rather than through for_each_element, which stores every
  // array it reads: the first pass reads θ, g, m and v and writes m and v,
  // the second reads θ, m and v and writes θ (storing θ in the first pass
  // too made the step 2.0x the memory-bound floor).
  Scalar* p = param.data();
  Scalar* m = state.buffer(state_slot(state_names, "exp_avg"), param).data();
  Scalar* v = state.buffer(state_slot(state_names, "exp_avg_sq"), param).data();
  const Scalar* g = grad.values;
  const std::size_t n = param.size();
  // The squares are summed lane by lane (a horizontal sum per batch made the
  // pass 1.5x slower), and the lanes added at the end.
  using Batch = xsimd::batch<Scalar, simd_arch>;
  Batch param_lanes(Scalar(0)), step_lanes(Scalar(0));
  Scalar param_tail = 0, step_tail = 0;
  auto moments = [&](auto width, std::size_t i) {
    using V = typename decltype(width)::type;
    const V pi = detail::load<V>(p + i), gi = detail::load<V>(g + i);
    const V mi = b1 * detail::load<V>(m + i) + rest1 * gi;
    const V vi = decayed_average(b2, detail::load<V>(v + i), V(rest2 * gi * gi));
    detail::store(m + i, mi);
    detail::store(v + i, vi);
    const V r = adam_step(pi, mi, vi);
    if constexpr (std::is_same_v<V, Scalar>) {
      param_tail += pi * pi;
      step_tail += r * r;
    } else {
      param_lanes += pi * pi;
      step_lanes += r * r;
    }
  };
  std::size_t i = 0;
  for (; i + Batch::size <= n; i += Batch::size) moments(std::type_identity<Batch>{}, i);
  for (; i < n; ++i) moments(std::type_identity<Scalar>{}, i);
  const double param_sq = xsimd::hadd(param_lanes) + param_tail, step_sq = xsimd::hadd(step_lanes) + step_tail;
  const double trust = param_sq == 0 || step_sq == 0 ? 1 : std::sqrt(param_sq) / std::sqrt(step_sq);
  const Scalar step_size = o.lr * trust;
  // The second pass recomputes r from θ, m and v (the same arithmetic over
  // the same batches, so the same r) rather than storing it.
  for (i = 0; i + Batch::size <= n; i += Batch::size) {
    const Batch pi = Batch::load_unaligned(p + i);
    (pi - step_size * adam_step(pi, Batch::load_unaligned(m + i), Batch::load_unaligned(v + i))).store_unaligned(p + i);
  }
  for (; i < n; ++i) p[i] -= step_size * adam_step(p[i], m[i], v[i]);
}

XGRAD_INSTANTIATE_OPTIMIZER(LAMB, LAMBOptions);

}  // namespace xg::optim
