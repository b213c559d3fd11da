// Ops that move elements without changing them: transpose, reshape.

#include <xtensor/xmanipulation.hpp>

#include <xgrad/autograd/function.hpp>
#include <xgrad/autograd/ops.hpp>

namespace xg {

using autograd::record;

// The adjoint of reversing the axes is reversing them again.
template <class S>
BasicTensor<S> transpose(const BasicTensor<S>& x) {
  return record<S>("transpose", Array<S>(xt::transpose(x.value())), {&x}, [](Node<S>& self) {
    self.inputs[0]->accumulate_grad(xt::transpose(self.grad));
  });
}

template <class S>
BasicTensor<S> reshape(const BasicTensor<S>& x, const Shape& shape) {
  if (shape_numel(shape) != x.numel())
    throw_shape_error("reshape", "cannot reshape " + shape_to_string(x.shape()) + " (" +
                                     std::to_string(x.numel()) + " elements) to " + shape_to_string(shape));
  Array<S> out = x.value();
  out.reshape(shape);
  return record<S>("reshape", std::move(out), {&x}, [](Node<S>& self) {
    auto& in = *self.inputs[0];
    self.grad.reshape(in.value.shape());
    in.accumulate_grad(self.grad);
  });
}

template BasicTensor<float> transpose(const BasicTensor<float>&);
template BasicTensor<double> transpose(const BasicTensor<double>&);
template BasicTensor<float> reshape(const BasicTensor<float>&, const Shape&);
template BasicTensor<double> reshape(const BasicTensor<double>&, const Shape&);

}  // namespace xg
