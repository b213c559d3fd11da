#pragma once
// The module that returns its input, as torch.nn.Identity: a placeholder
// where a model's structure wants a layer (a removed head, an optional norm).

#include <xgrad/nn/module.hpp>

namespace xg::nn {

template <class S>
class BasicIdentity : public Convertible<BasicIdentity, S> {
 public:
  BasicTensor<S> forward(const BasicTensor<S>& input) override { return input; }
  template <class T>
  BasicIdentity<T> converted() const {
    return {};
  }
};

using Identity = BasicIdentity<float>;

}  // namespace xg::nn
