#include <xgrad/optim/lion.hpp>

#include <xgrad/optim/detail/elementwise.hpp>
#include <xgrad/optim/detail/optimizer_impl.hpp>

namespace xg::optim {

// Lion (Chen et al., 2023, "Symbolic Discovery of Optimization Algorithms",
// Program 1), as the authors' reference code (google/automl,
// lion/lion_pytorch.py) computes it:
//   θ ← θ·(1 − lr·λ)                         weight_decay λ, decoupled
//   θ ← θ − lr·sign(β1·m + (1 − β1)·g)
//   m ← β2·m + (1 − β2)·g
// The sign of 0 is 0 (torch.sign): a coordinate whose interpolation is 0
// stays where it is.
template <class Scalar>
void Lion<Scalar>::update(const LionOptions& o, ParamState<Scalar>& state, Array<Scalar>& param,
                          const Gradient<Scalar>& grad) {
  const Scalar lr = o.lr, b1 = o.betas[0], rest1 = 1 - o.betas[0], b2 = o.betas[1], rest2 = 1 - o.betas[1];
  const Scalar shrink = 1 - o.lr * o.weight_decay;
  for_each_element(
      [=](auto& p, auto& g, auto& m) {
        p = p * shrink - lr * sign_of(b1 * m + rest1 * g);
        m = b2 * m + rest2 * g;
      },
      param, grad, &state.buffer(state_slot(state_names, "exp_avg"), param));
}

XGRAD_INSTANTIATE_OPTIMIZER(Lion, LionOptions);

}  // namespace xg::optim
