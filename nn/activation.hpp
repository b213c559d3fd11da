#pragma once
// Elementwise and normalising activations as modules, for use in a Sequential.

#include <xgrad/nn/module.hpp>

namespace xg::nn {

template <class S>
class BasicTanh : public Convertible<BasicTanh, S> {
 public:
  BasicTensor<S> forward(const BasicTensor<S>& input) override;
  template <class T>
  BasicTanh<T> converted() const { return {}; }
};

template <class S>
class BasicSigmoid : public Convertible<BasicSigmoid, S> {
 public:
  BasicTensor<S> forward(const BasicTensor<S>& input) override;
  template <class T>
  BasicSigmoid<T> converted() const { return {}; }
};

template <class S>
class BasicReLU : public Convertible<BasicReLU, S> {
 public:
  BasicTensor<S> forward(const BasicTensor<S>& input) override;
  template <class T>
  BasicReLU<T> converted() const { return {}; }
};

// softmax along `axis` (negative counts from the end).
template <class S>
class BasicSoftmax : public Convertible<BasicSoftmax, S> {
 public:
  explicit BasicSoftmax(long axis) : axis_(axis) {}
  BasicTensor<S> forward(const BasicTensor<S>& input) override;
  long axis() const { return axis_; }
  template <class T>
  BasicSoftmax<T> converted() const { return BasicSoftmax<T>(axis_); }

 private:
  long axis_;
};

template <class S>
class BasicLogSoftmax : public Convertible<BasicLogSoftmax, S> {
 public:
  explicit BasicLogSoftmax(long axis) : axis_(axis) {}
  BasicTensor<S> forward(const BasicTensor<S>& input) override;
  long axis() const { return axis_; }
  template <class T>
  BasicLogSoftmax<T> converted() const { return BasicLogSoftmax<T>(axis_); }

 private:
  long axis_;
};

using Tanh = BasicTanh<float>;
using Sigmoid = BasicSigmoid<float>;
using ReLU = BasicReLU<float>;
using Softmax = BasicSoftmax<float>;
using LogSoftmax = BasicLogSoftmax<float>;

extern template class BasicTanh<float>;
extern template class BasicTanh<double>;
extern template class BasicSigmoid<float>;
extern template class BasicSigmoid<double>;
extern template class BasicReLU<float>;
extern template class BasicReLU<double>;
extern template class BasicSoftmax<float>;
extern template class BasicSoftmax<double>;
extern template class BasicLogSoftmax<float>;
extern template class BasicLogSoftmax<double>;

}  // namespace xg::nn
