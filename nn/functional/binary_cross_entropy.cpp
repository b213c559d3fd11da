#include <algorithm>
#include <cmath>
#include <string>
#include <utility>
#include <xgrad/core/message.hpp>
#include <xgrad/nn/functional/detail/elementwise_loss.hpp>

namespace xg::nn::functional {

namespace {
// PyTorch clamps each log at -100 so that p = 0 or 1 gives a finite loss.
template <class S>
S clamped_log(S p) {
  return std::max(std::log(p), S(-100));
}
}  // namespace

// Binary cross-entropy on probabilities p against targets t, as PyTorch's
// binary_cross_entropy (aten/src/ATen/native/Loss.cpp
// binary_cross_entropy_out_cpu and its backward):
//   loss  = -(t log p + (1 - t) log(1 - p)), each log clamped at -100
//   d/dp  = (p - t) / max(p (1 - p), 1e-12)
//   d/dt  = log(1 - p) - log p, the same clamped logs
template <class S>
BasicTensor<S> binary_cross_entropy(const BasicTensor<S>& input, const BasicTensor<S>& target,
                                    BinaryCrossEntropyOptions<S> options) {
  if (input.defined()) {
    const S* p = input.value().data();
    for (std::size_t i = 0; i < input.numel(); ++i)
      if (!(p[i] >= 0 && p[i] <= 1))
        throw_invalid_argument("binary_cross_entropy",
                               "the input must hold probabilities in [0, 1] (for logits use "
                               "binary_cross_entropy_with_logits), got " +
                                   number_text(p[i]) + " at flat index " + std::to_string(i) + " of shape " +
                                   shape_to_string(input.shape()));
  }
  return detail::elementwise_loss(
      "binary_cross_entropy", input, target, options.reduction,
      [](S p, S t) { return -(t * clamped_log(p) + (S(1) - t) * clamped_log(S(1) - p)); },
      [](S p, S t) {
        return std::pair{(p - t) / std::max(p * (S(1) - p), S(1e-12)), clamped_log(S(1) - p) - clamped_log(p)};
      },
      options.weight);
}

template BasicTensor<float> binary_cross_entropy(const BasicTensor<float>&, const BasicTensor<float>&,
                                                 BinaryCrossEntropyOptions<float>);
template BasicTensor<double> binary_cross_entropy(const BasicTensor<double>&, const BasicTensor<double>&,
                                                  BinaryCrossEntropyOptions<double>);

}  // namespace xg::nn::functional
