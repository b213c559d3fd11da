#pragma once
// Your own differentiable op, in the shape of LibTorch's
// torch::autograd::Function<T> (torch/csrc/autograd/custom_function.h): a
// struct deriving from xg::autograd::Function<Self> with a `name`, a static
// `forward` on arrays and a static `backward` from the output's gradient to
// one gradient per tensor input. `Self::apply(args...)` runs the forward and
// records it on the tape like every built-in op (through autograd::record),
// so gradcheck, detect_anomaly and retain_graph apply to it unchanged.
//
//   struct Square : xg::autograd::Function<Square> {
//     static constexpr const char* name = "square";
//     template <class S>
//     static xg::Array<S> forward(xg::autograd::FunctionContext<S>& ctx, const xg::Array<S>& x) {
//       ctx.save_for_backward({x});
//       return x * x;
//     }
//     template <class S>
//     static std::vector<xg::Array<S>> backward(xg::autograd::FunctionContext<S>& ctx, const xg::Array<S>& grad) {
//       return {S(2) * ctx.get_saved_variables()[0] * grad};
//     }
//   };
//   auto y = Square::apply(x);
//
// Arguments to apply that are not tensors (a scale, an option) reach forward
// as they are; tensors reach it as their values. The backward's gradients
// are checked: their number against the tensor inputs, each shape against
// its input's (inputs that do not require a gradient are skipped, so an
// empty xg::Array<S>() may stand for theirs).

#include <cstddef>
#include <map>
#include <memory>
#include <span>
#include <string>
#include <type_traits>
#include <utility>
#include <vector>

#include <xgrad/autograd/function.hpp>
#include <xgrad/core/error.hpp>
#include <xgrad/core/tensor.hpp>

namespace xg::autograd {

// What the forward keeps for the backward, as LibTorch's AutogradContext.
template <class Scalar>
class FunctionContext {
 public:
  // Arrays the backward needs (inputs, the output, intermediates); copies, so
  // later changes to a tensor's value do not reach them.
  void save_for_backward(std::vector<Array<Scalar>> arrays) { saved_ = std::move(arrays); }
  const std::vector<Array<Scalar>>& get_saved_variables() const { return saved_; }
  // Whether tensor input `i` (counting tensor arguments only) requires a
  // gradient: the backward may skip computing the others.
  bool needs_input_grad(std::size_t i) const { return i < needs_input_grad_.size() && needs_input_grad_[i]; }
  // Numbers the backward needs (a scale, a threshold).
  std::map<std::string, double> saved_data;

 private:
  template <class>
  friend struct Function;
  std::vector<Array<Scalar>> saved_;
  std::vector<bool> needs_input_grad_;
};

namespace detail {

template <class T>
struct is_tensor : std::false_type {};
template <class S>
struct is_tensor<BasicTensor<S>> : std::true_type {};

template <class First, class... Rest>
struct first_tensor_scalar {
  using type = typename first_tensor_scalar<Rest...>::type;
};
template <class S, class... Rest>
struct first_tensor_scalar<BasicTensor<S>, Rest...> {
  using type = S;
};

// A tensor argument reaches the forward as its value, anything else as it is.
template <class T>
const auto& forward_argument(const T& arg) {
  if constexpr (is_tensor<T>::value)
    return arg.value();
  else
    return arg;
}

}  // namespace detail

template <class Derived>
struct Function {
  template <class... Args>
  static auto apply(const Args&... args) {
    static_assert((detail::is_tensor<Args>::value || ...), "Function::apply needs at least one tensor argument");
    using S = typename detail::first_tensor_scalar<Args...>::type;
    std::vector<BasicTensor<S>> inputs;
    auto collect = [&inputs](const auto& arg) {
      if constexpr (detail::is_tensor<std::decay_t<decltype(arg)>>::value) {
        static_assert(std::is_same_v<std::decay_t<decltype(arg)>, BasicTensor<S>>,
                      "Function::apply: all tensor arguments must have the same scalar type");
        if (!arg.defined())
          throw_invalid_argument(Derived::name, "input " + std::to_string(inputs.size()) +
                                                    " is an undefined (default-constructed) tensor");
        inputs.push_back(arg);
      }
    };
    (collect(args), ...);
    auto ctx = std::make_shared<FunctionContext<S>>();
    for (const auto& t : inputs) ctx->needs_input_grad_.push_back(t.requires_grad());
    Array<S> value = Derived::forward(*ctx, detail::forward_argument(args)...);
    return record<S>(Derived::name, std::move(value), std::span<const BasicTensor<S>>(inputs), [ctx](Node<S>& self) {
      std::vector<Array<S>> grads = Derived::backward(*ctx, std::as_const(self.grad));
      if (grads.size() != self.inputs.size())
        throw GraphError(std::string(Derived::name) + ": backward returned " + std::to_string(grads.size()) +
                         " gradients for " + std::to_string(self.inputs.size()) + " tensor inputs");
      for (std::size_t i = 0; i < grads.size(); ++i) {
        const Node<S>& in = *self.inputs[i];
        if (in.requires_grad && !shapes_equal(grads[i].shape(), in.value.shape()))
          throw_shape_error(Derived::name, "backward returned a gradient of shape " +
                                               shape_to_string(grads[i].shape()) + " for input " + std::to_string(i) +
                                               " of shape " + shape_to_string(in.value.shape()));
      }
      for (std::size_t i = 0; i < grads.size(); ++i)
        if (self.inputs[i]->requires_grad) self.inputs[i]->accumulate_grad(std::move(grads[i]));
    });
  }
};

}  // namespace xg::autograd
