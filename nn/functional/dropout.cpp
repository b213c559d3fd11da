#include <string>
#include <xgrad/autograd/function.hpp>
#include <xgrad/core/error.hpp>
#include <xgrad/nn/functional/dropout.hpp>

namespace xg::nn::functional {

// y = x * mask, mask_i in {0, 1 / (1 - p)};  dx = dy * mask
template <class S>
BasicTensor<S> dropout(const BasicTensor<S>& input, double p, bool training, Generator& generator) {
  if (!(p >= 0.0 && p <= 1.0)) throw_invalid_argument("dropout", "p must be in [0, 1], got " + std::to_string(p));
  if (!input.defined()) throw_invalid_argument("dropout", "the input is an undefined tensor");
  if (!training || p == 0.0) return input;
  const S scale = p == 1.0 ? S(0) : static_cast<S>(1.0 / (1.0 - p));
  const std::size_t n = input.numel();
  auto mask = Array<S>::from_shape(input.shape());
  auto out = Array<S>::from_shape(input.shape());
  const S* x = input.value().data();
  for (std::size_t i = 0; i < n; ++i) {
    mask.data()[i] = generator.uniform() < p ? S(0) : scale;
    out.data()[i] = x[i] * mask.data()[i];
  }
  return autograd::record<S>("dropout", std::move(out), {&input}, [mask = std::move(mask)](Node<S>& self) {
    const S* g = self.grad.data();
    const S* m = mask.data();
    autograd::accumulate_each(*self.inputs[0], [&](std::size_t i) { return g[i] * m[i]; });
  });
}

template BasicTensor<float> dropout(const BasicTensor<float>&, double, bool, Generator&);
template BasicTensor<double> dropout(const BasicTensor<double>&, double, bool, Generator&);

}  // namespace xg::nn::functional
