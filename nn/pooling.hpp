#pragma once
// Pooling layers over NCHW images, as torch.nn.MaxPool2d, AvgPool2d and
// AdaptiveAvgPool2d: the functional ops of autograd/ops.hpp with their
// options kept. No parameters.

#include <xgrad/autograd/ops.hpp>
#include <xgrad/nn/module.hpp>

namespace xg::nn {

template <class S>
class BasicMaxPool2d : public Convertible<BasicMaxPool2d, S> {
 public:
  explicit BasicMaxPool2d(Size2 kernel_size, MaxPool2dOptions options = {})
      : kernel_size_(kernel_size), options_(options) {}
  BasicTensor<S> forward(const BasicTensor<S>& input) override { return max_pool2d(input, kernel_size_, options_); }
  Size2 kernel_size() const { return kernel_size_; }
  const MaxPool2dOptions& options() const { return options_; }
  template <class T>
  BasicMaxPool2d<T> converted() const {
    return BasicMaxPool2d<T>(kernel_size_, options_);
  }

 private:
  Size2 kernel_size_;
  MaxPool2dOptions options_;
};

template <class S>
class BasicAvgPool2d : public Convertible<BasicAvgPool2d, S> {
 public:
  explicit BasicAvgPool2d(Size2 kernel_size, AvgPool2dOptions options = {})
      : kernel_size_(kernel_size), options_(options) {}
  BasicTensor<S> forward(const BasicTensor<S>& input) override { return avg_pool2d(input, kernel_size_, options_); }
  Size2 kernel_size() const { return kernel_size_; }
  const AvgPool2dOptions& options() const { return options_; }
  template <class T>
  BasicAvgPool2d<T> converted() const {
    return BasicAvgPool2d<T>(kernel_size_, options_);
  }

 private:
  Size2 kernel_size_;
  AvgPool2dOptions options_;
};

template <class S>
class BasicAdaptiveAvgPool2d : public Convertible<BasicAdaptiveAvgPool2d, S> {
 public:
  explicit BasicAdaptiveAvgPool2d(Size2 output_size) : output_size_(output_size) {}
  BasicTensor<S> forward(const BasicTensor<S>& input) override { return adaptive_avg_pool2d(input, output_size_); }
  Size2 output_size() const { return output_size_; }
  template <class T>
  BasicAdaptiveAvgPool2d<T> converted() const {
    return BasicAdaptiveAvgPool2d<T>(output_size_);
  }

 private:
  Size2 output_size_;
};

using MaxPool2d = BasicMaxPool2d<float>;
using AvgPool2d = BasicAvgPool2d<float>;
using AdaptiveAvgPool2d = BasicAdaptiveAvgPool2d<float>;

}  // namespace xg::nn
