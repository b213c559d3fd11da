#pragma once
// The dense layer y = x W^T + b, with PyTorch's shapes and initialisation.

#include <cstddef>
#include <xgrad/core/generator.hpp>
#include <xgrad/nn/module.hpp>

namespace xg::nn {

template <class S>
class BasicLinear : public Convertible<BasicLinear, S> {
 public:
  // Draws the weight, then the bias, from `generator` (reset_parameters).
  BasicLinear(std::size_t in_features, std::size_t out_features, bool bias = true,
              Generator& generator = default_generator());

  BasicTensor<S> forward(const BasicTensor<S>& input) override;

  // As torch.nn.Linear: weight by kaiming_uniform_ with a = sqrt(5), which is
  // U(-1/sqrt(in), 1/sqrt(in)), and the bias from that same range.
  void reset_parameters(Generator& generator = default_generator());

  std::size_t in_features() const { return in_features_; }
  std::size_t out_features() const { return out_features_; }

  template <class T>
  BasicLinear<T> converted() const {
    BasicLinear<T> out(typename BasicLinear<T>::Unset{}, in_features_, out_features_);
    out.weight = this->template converted_tensor<T>(weight);
    out.bias = this->template converted_tensor<T>(bias);
    return out;
  }

  BasicTensor<S> weight;  // (out_features, in_features)
  BasicTensor<S> bias;    // (out_features), undefined when built without one

 protected:
  NamedTensors<S> local_parameters() const override;

 private:
  template <class>
  friend class BasicLinear;
  // The shape alone, parameters undefined: what converted() fills, without
  // drawing from a generator.
  struct Unset {};
  BasicLinear(Unset, std::size_t in_features, std::size_t out_features)
      : in_features_(in_features), out_features_(out_features) {}
  std::size_t in_features_, out_features_;
};

using Linear = BasicLinear<float>;

extern template class BasicLinear<float>;
extern template class BasicLinear<double>;

}  // namespace xg::nn
