#pragma once
// Dropout as a module: active in training mode only (see functional::dropout).

#include <xgrad/core/generator.hpp>
#include <xgrad/nn/module.hpp>

namespace xg::nn {

template <class S>
class BasicDropout : public Convertible<BasicDropout, S> {
 public:
  // p in [0, 1]. The masks come from `generator`, which must outlive the module
  // (and its converted copies, which draw from it too).
  explicit BasicDropout(double p = 0.5, Generator& generator = default_generator());

  BasicTensor<S> forward(const BasicTensor<S>& input) override;
  double p() const { return p_; }
  template <class T>
  BasicDropout<T> converted() const {
    return BasicDropout<T>(p_, *generator_);
  }

 private:
  double p_;
  Generator* generator_;
};

using Dropout = BasicDropout<float>;

extern template class BasicDropout<float>;
extern template class BasicDropout<double>;

}  // namespace xg::nn
