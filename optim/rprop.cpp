#include <xgrad/optim/rprop.hpp>

#include <sstream>
#include <stdexcept>
#include <type_traits>

#include <xgrad/optim/detail/elementwise.hpp>
#include <xgrad/optim/detail/optimizer_impl.hpp>

namespace xg::optim {

namespace {

std::string pair_text(const std::array<double, 2>& v) {
  std::ostringstream s;
  s << "(" << v[0] << ", " << v[1] << ")";
  return s.str();
}

// `mask ? a : b` for one value or a SIMD batch.
template <class V, class Mask>
V pick(const Mask& mask, const V& a, const V& b) {
  if constexpr (std::is_arithmetic_v<V>)
    return mask ? a : b;
  else
    return xsimd::select(mask, a, b);
}

}  // namespace

template <class Scalar>
void Rprop<Scalar>::check_constraints(const RpropOptions& o) {
  if (!(o.etas[0] < 1 && 1 < o.etas[1]))
    throw std::invalid_argument("Rprop: invalid etas = " + pair_text(o.etas) + " (must be 0 < etaminus < 1 < etaplus)");
  if (o.step_sizes[0] > o.step_sizes[1])
    throw std::invalid_argument("Rprop: invalid step_sizes = " + pair_text(o.step_sizes) +
                                " (the minimum must not exceed the maximum)");
}

// Rprop (Riedmiller & Braun, 1993, "A Direct Adaptive Method for Faster
// Backpropagation Learning: The RPROP Algorithm"), as torch.optim.Rprop's
// _single_tensor_rprop computes it (read at a PyTorch 1.12-era revision,
// the one with foreach and maximize but not yet differentiable):
//   g ← ∇f(θ), negated when maximize;  s ← g·prev
//   η ← η+ if s > 0, η− if s < 0, else 1;  Δ ← clamp(Δ·η, Δmin, Δmax)
//   g ← 0 where s < 0 (a flipped sign takes no step, and the next step
//        does not count it as a flip again)
//   θ ← θ − sign(g)·Δ;  prev ← g
// Δ starts at lr, so lr is the first step of every coordinate.
template <class Scalar>
void Rprop<Scalar>::update(const RpropOptions& o, ParamState<Scalar>& state, Array<Scalar>& param,
                           const Gradient<Scalar>& grad) {
  const Scalar sign = o.maximize ? -1 : 1, eta_minus = o.etas[0], eta_plus = o.etas[1];
  const Scalar step_min = o.step_sizes[0], step_max = o.step_sizes[1];
  Array<Scalar>* prev = &state.buffer(state_slot(state_names, "prev"), param);
  Array<Scalar>* step_size = &state.buffer(state_slot(state_names, "step_size"), param, static_cast<Scalar>(o.lr));
  for_each_element(
      [=](auto& p, auto& g, auto& g_prev, auto& delta) {
        using V = std::remove_reference_t<decltype(p)>;
        const V zero(Scalar(0)), one(Scalar(1));
        g = sign * g;
        const V agreement = g * g_prev;
        const V factor = pick(agreement > zero, V(eta_plus), pick(agreement < zero, V(eta_minus), one));
        delta = xsimd::min(xsimd::max(delta * factor, V(step_min)), V(step_max));
        g = pick(agreement < zero, zero, g);
        p -= pick(g > zero, delta, pick(g < zero, -delta, zero));
        g_prev = g;
      },
      param, grad, prev, step_size);
}

XGRAD_INSTANTIATE_OPTIMIZER(Rprop, RpropOptions);

}  // namespace xg::optim
