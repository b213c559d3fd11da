#pragma once
// The dense layer y = x W^T + b, with PyTorch's shapes and initialisation.

#include <cstddef>
#include <xgrad/core/generator.hpp>
#include <xgrad/nn/module.hpp>

namespace xg::nn {

class Linear : public Module {
 public:
  // Draws the weight, then the bias, from `generator` (reset_parameters).
  Linear(std::size_t in_features, std::size_t out_features, bool bias = true,
         Generator& generator = default_generator());

  Tensor forward(const Tensor& input) override;

  // As torch.nn.Linear: weight by kaiming_uniform_ with a = sqrt(5), which is
  // U(-1/sqrt(in), 1/sqrt(in)), and the bias from that same range.
  void reset_parameters(Generator& generator = default_generator());

  std::size_t in_features() const { return in_features_; }
  std::size_t out_features() const { return out_features_; }

  Tensor weight;  // (out_features, in_features)
  Tensor bias;    // (out_features), undefined when built without one

 protected:
  NamedTensors<float> local_parameters() const override;

 private:
  std::size_t in_features_, out_features_;
};

}  // namespace xg::nn
