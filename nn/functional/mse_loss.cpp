#include <xgrad/autograd/function.hpp>
#include <xgrad/nn/functional/detail/loss_reduction.hpp>
#include <xgrad/nn/functional/loss.hpp>

namespace xg::nn::functional {

// d loss / d input = 2 (input - target) = -d loss / d target
template <class S>
BasicTensor<S> mse_loss(const BasicTensor<S>& input, const BasicTensor<S>& target, LossOptions options) {
  if (!input.defined() || !target.defined())
    throw_invalid_argument("mse_loss", "the input and target must be defined tensors");
  if (!shapes_equal(input.shape(), target.shape()))
    throw_shape_error("mse_loss", "input of shape " + shape_to_string(input.shape()) + " and target of shape " +
                                      shape_to_string(target.shape()) + " differ");
  const std::size_t n = input.numel();
  auto losses = Array<S>::from_shape(input.shape());
  const S* a = input.value().data();
  const S* b = target.value().data();
  for (std::size_t i = 0; i < n; ++i) losses.data()[i] = (a[i] - b[i]) * (a[i] - b[i]);
  Array<S> out = detail::reduce_losses<S>("mse_loss", std::move(losses), options.reduction);

  return autograd::record<S>(
      "mse_loss", std::move(out), {&input, &target}, [n, reduction = options.reduction](Node<S>& self) {
        const detail::LossGradient<S> upstream(self, reduction, n);
        auto &input = *self.inputs[0], &target = *self.inputs[1];
        const S* a = input.value.data();
        const S* b = target.value.data();
        if (input.requires_grad)
          autograd::accumulate_each(input, [&](std::size_t i) { return S(2) * upstream[i] * (a[i] - b[i]); });
        if (target.requires_grad)
          autograd::accumulate_each(target, [&](std::size_t i) { return S(2) * upstream[i] * (b[i] - a[i]); });
      });
}

template BasicTensor<float> mse_loss(const BasicTensor<float>&, const BasicTensor<float>&, LossOptions);
template BasicTensor<double> mse_loss(const BasicTensor<double>&, const BasicTensor<double>&, LossOptions);

}  // namespace xg::nn::functional
