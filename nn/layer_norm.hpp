#pragma once
// Layer normalization over the last dimensions of each sample:
// torch.nn.LayerNorm(normalized_shape, eps, elementwise_affine).

#include <xgrad/nn/module.hpp>

namespace xg::nn {

struct LayerNormOptions {
  double eps = 1e-5;
  bool elementwise_affine = true;  // a weight (ones) and a bias (zeros) of normalized_shape
};

template <class S>
class BasicLayerNorm : public Convertible<BasicLayerNorm, S> {
 public:
  explicit BasicLayerNorm(Shape normalized_shape, LayerNormOptions options = {});

  // x's last dimensions must be normalized_shape.
  BasicTensor<S> forward(const BasicTensor<S>& x) override;
  using BasicModule<S>::operator();

  const Shape& normalized_shape() const { return normalized_shape_; }
  const LayerNormOptions& options() const { return options_; }

  template <class T>
  BasicLayerNorm<T> converted() const {
    BasicLayerNorm<T> copy(normalized_shape_, options_);
    copy.weight = this->template converted_tensor<T>(weight);
    copy.bias = this->template converted_tensor<T>(bias);
    return copy;
  }

  BasicTensor<S> weight, bias;  // undefined without elementwise_affine

 protected:
  NamedTensors<S> local_parameters() const override;

 private:
  Shape normalized_shape_;
  LayerNormOptions options_;
};

using LayerNorm = BasicLayerNorm<float>;

}  // namespace xg::nn
