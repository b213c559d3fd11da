#include <xgrad/optim/sgd.hpp>

#include <stdexcept>
#include <string>

#include <xgrad/core/message.hpp>
#include <xgrad/optim/detail/elementwise.hpp>
#include <xgrad/optim/detail/optimizer_impl.hpp>

namespace xg::optim {

template <class Scalar>
void SGD<Scalar>::check_constraints(const SGDOptions& o) {
  if (o.nesterov && (o.momentum <= 0 || o.dampening != 0))
    throw std::invalid_argument("SGD: nesterov requires momentum > 0 and dampening = 0, got momentum = " +
                                number_text(o.momentum) + ", dampening = " + number_text(o.dampening));
}

// SGD with momentum as torch.optim.SGD defines it:
//   g ← ∇f(θ), negated when maximize
//   g ← g + λθ                                      weight_decay λ
//   b ← g at the buffer's first use, else μb + (1 − τ)g   momentum μ, dampening τ
//   g ← g + μb with nesterov, else b
//   θ ← θ − lr·g
// This is PyTorch's form of momentum; Sutskever et al. (2013, "On the
// importance of initialization and momentum in deep learning") keep
// v ← μv − lr·g, θ ← θ + v instead, which differs once lr changes.
// PyTorch's documented pseudo-code applies maximize to the final step, its
// code negates the gradient first (so weight decay still shrinks the
// weights); this follows the code.
template <class Scalar>
void SGD<Scalar>::update(const SGDOptions& o, ParamState<Scalar>& state, Array<Scalar>& param,
                         const Gradient<Scalar>& grad) {
  const Scalar lr = o.lr, sign = o.maximize ? -1 : 1, decay = o.weight_decay;
  const Scalar mu = o.momentum, undamped = 1 - o.dampening;
  const bool momentum = o.momentum != 0, nesterov = o.nesterov;
  const bool first = momentum && !state.buffers[state_slot(state_names, "momentum_buffer")];
  Array<Scalar>* buffer = momentum ? &state.buffer(state_slot(state_names, "momentum_buffer"), param) : nullptr;
  for_each_element(
      [=](auto& p, auto& g, auto& b) {
        g = sign * g + decay * p;
        if (momentum) {
          b = first ? g : mu * b + undamped * g;
          g = nesterov ? g + mu * b : b;
        }
        p -= lr * g;
      },
      param, grad, buffer);
}

XGRAD_INSTANTIATE_OPTIMIZER(SGD, SGDOptions);

}  // namespace xg::optim
