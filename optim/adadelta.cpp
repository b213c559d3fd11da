#include <xgrad/optim/adadelta.hpp>

#include <xgrad/optim/detail/elementwise.hpp>
#include <xgrad/optim/detail/optimizer_impl.hpp>

namespace xg::optim {

// Adadelta (Zeiler, 2012, "ADADELTA: An Adaptive Learning Rate Method",
// Algorithm 1), as torch.optim.Adadelta defines it:
//   g ← ∇f(θ), negated when maximize;  g ← g + λθ      weight_decay λ
//   v ← ρv + (1 − ρ)g²
//   Δ ← √(u + ε) / √(v + ε) · g
//   u ← ρu + (1 − ρ)Δ²
//   θ ← θ − lr·Δ
// ε sits inside both roots in the paper and in PyTorch; the paper has no lr
// (lr = 1, PyTorch's default).
template <class Scalar>
void Adadelta<Scalar>::update(const AdadeltaOptions& o, ParamState<Scalar>& state, Array<Scalar>& param,
                              const Gradient<Scalar>& grad) {
  const Scalar lr = o.lr, rho = o.rho, rest = 1 - o.rho, eps = o.eps;
  const Scalar sign = o.maximize ? -1 : 1, decay = o.weight_decay;
  Array<Scalar>* square_avg = &state.buffer(state_slot(state_names, "square_avg"), param);
  Array<Scalar>* acc_delta = &state.buffer(state_slot(state_names, "acc_delta"), param);
  for_each_element(
      [=](auto& p, auto& g, auto& v, auto& u) {
        g = sign * g + decay * p;
        v = decayed_average(rho, v, rest * g * g);
        const auto delta = xsimd::sqrt(u + eps) / xsimd::sqrt(v + eps) * g;
        u = decayed_average(rho, u, rest * delta * delta);
        p -= lr * delta;
      },
      param, grad, square_avg, acc_delta);
}

XGRAD_INSTANTIATE_OPTIMIZER(Adadelta, AdadeltaOptions);

}  // namespace xg::optim
