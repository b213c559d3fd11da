#include <xgrad/optim/rmsprop.hpp>

#include <limits>
#include <type_traits>

#include <xgrad/optim/detail/elementwise.hpp>
#include <xgrad/optim/detail/optimizer_impl.hpp>

namespace xg::optim {

// RMSprop (Hinton, "Neural Networks for Machine Learning", lecture 6e, 2012;
// the centered form from Graves, 2013, "Generating Sequences With Recurrent
// Neural Networks"), as torch.optim.RMSprop defines it:
//   g ← ∇f(θ), negated when maximize;  g ← g + λθ      weight_decay λ
//   v ← αv + (1 − α)g²
//   centered: ḡ ← αḡ + (1 − α)g and v' = v − ḡ², else v' = v
//   d ← √v' + ε                       or √(v' + ε) with eps_inside_sqrt
//   momentum μ > 0: b ← μb + g/d, θ ← θ − lr·b;  otherwise θ ← θ − lr·g/d
// v − ḡ² ≥ 0 in exact arithmetic (Cauchy-Schwarz); it is clamped at 0 so
// that rounding cannot take the square root of a negative number. In float
// a gradient above ~1.8e19 makes v and ḡ² both Inf; v − ḡ² is then taken as
// Inf, not NaN, leaving finite results unchanged bit for bit.
template <class Scalar>
void RMSprop<Scalar>::update(const RMSpropOptions& o, ParamState<Scalar>& state, Array<Scalar>& param,
                             const Gradient<Scalar>& grad) {
  const Scalar lr = o.lr, alpha = o.alpha, rest = 1 - o.alpha, mu = o.momentum;
  const Scalar sign = o.maximize ? -1 : 1, decay = o.weight_decay;
  const Scalar eps_in = o.eps_inside_sqrt ? o.eps : 0, eps_out = o.eps_inside_sqrt ? 0 : o.eps;
  Array<Scalar>* square_avg = &state.buffer(state_slot(state_names, "square_avg"), param);
  // Centered and momentum are fixed per pass, and a pass reads only the
  // buffers it uses: tested per element, and with the unused buffers'
  // null checks, they made the plain step 1.6x the memory-bound floor.
  auto pass = [&](auto centered_flag, auto momentum_flag) {
    constexpr bool centered = decltype(centered_flag)::value, momentum = decltype(momentum_flag)::value;
    auto kernel = [=](auto& p, auto& g, auto& v, auto& b, auto& gbar) {
      using V = std::remove_reference_t<decltype(p)>;
      g = sign * g + decay * p;
      v = decayed_average(alpha, v, rest * g * g);
      auto variance = v;
      if constexpr (centered) {
        gbar = alpha * gbar + rest * g;
        // An average that overflowed to Inf stays Inf (the step shrinks to
        // 0, as uncentered), rather than Inf - Inf = NaN.
        const V inf(std::numeric_limits<Scalar>::infinity());
        const V clamped = xsimd::max(v - gbar * gbar, V(Scalar(0)));
        if constexpr (std::is_same_v<V, Scalar>)
          variance = v == inf ? v : clamped;
        else
          variance = xsimd::select(v == inf, v, clamped);
      }
      const auto step = g / (xsimd::sqrt(variance + eps_in) + eps_out);
      if constexpr (momentum) {
        b = mu * b + step;
        p -= lr * b;
      } else {
        p -= lr * step;
      }
    };
    // The kernel writes nothing to the buffer a pass leaves out.
    if constexpr (centered && momentum)
      for_each_element(kernel, param, grad, square_avg,
                       &state.buffer(state_slot(state_names, "momentum_buffer"), param),
                       &state.buffer(state_slot(state_names, "grad_avg"), param));
    else if constexpr (momentum)
      for_each_element(
          [=](auto& p, auto& g, auto& v, auto& b) {
            auto unused = p;
            kernel(p, g, v, b, unused);
          },
          param, grad, square_avg, &state.buffer(state_slot(state_names, "momentum_buffer"), param));
    else if constexpr (centered)
      for_each_element(
          [=](auto& p, auto& g, auto& v, auto& gbar) {
            auto unused = p;
            kernel(p, g, v, unused, gbar);
          },
          param, grad, square_avg, &state.buffer(state_slot(state_names, "grad_avg"), param));
    else
      for_each_element(
          [=](auto& p, auto& g, auto& v) {
            auto unused = p;
            kernel(p, g, v, unused, unused);
          },
          param, grad, square_avg);
  };
  using yes = std::true_type;
  using no = std::false_type;
  if (o.centered)
    o.momentum > 0 ? pass(yes{}, yes{}) : pass(yes{}, no{});
  else
    o.momentum > 0 ? pass(no{}, yes{}) : pass(no{}, no{});
}

XGRAD_INSTANTIATE_OPTIMIZER(RMSprop, RMSpropOptions);

}  // namespace xg::optim
