#pragma once
// Convolution layers over NCHW images (Conv2d) and (N, C, L) signals
// (Conv1d), with torch.nn.Conv2d's and Conv1d's arguments, shapes and
// initialisation.

#include <cstddef>
#include <xgrad/autograd/ops.hpp>
#include <xgrad/core/generator.hpp>
#include <xgrad/nn/module.hpp>

namespace xg::nn {

struct Conv2dOptions {
  Size2 stride = 1;
  Size2 padding = 0;
  Size2 dilation = 1;
  long groups = 1;  // must divide in_channels and out_channels
  bool bias = true;
};

template <class S>
class BasicConv2d : public Convertible<BasicConv2d, S> {
 public:
  // Draws the weight, then the bias, from `generator` (reset_parameters).
  BasicConv2d(std::size_t in_channels, std::size_t out_channels, Size2 kernel_size, Conv2dOptions options = {},
              Generator& generator = default_generator());

  BasicTensor<S> forward(const BasicTensor<S>& input) override;

  // As torch's _ConvNd.reset_parameters: weight by kaiming_uniform_ with
  // a = sqrt(5), which is U(-1/sqrt(fan_in), 1/sqrt(fan_in)) for
  // fan_in = in_channels / groups * kh * kw, and the bias from that same range.
  void reset_parameters(Generator& generator = default_generator());

  std::size_t in_channels() const { return in_channels_; }
  std::size_t out_channels() const { return out_channels_; }
  Size2 kernel_size() const { return kernel_size_; }
  const Conv2dOptions& options() const { return options_; }

  template <class T>
  BasicConv2d<T> converted() const {
    BasicConv2d<T> out(typename BasicConv2d<T>::Unset{}, in_channels_, out_channels_, kernel_size_, options_);
    out.weight = this->template converted_tensor<T>(weight);
    out.bias = this->template converted_tensor<T>(bias);
    return out;
  }

  BasicTensor<S> weight;  // (out_channels, in_channels / groups, kh, kw)
  BasicTensor<S> bias;    // (out_channels), undefined with .bias = false

 protected:
  NamedTensors<S> local_parameters() const override;

 private:
  template <class>
  friend class BasicConv2d;
  struct Unset {};
  BasicConv2d(Unset, std::size_t in_channels, std::size_t out_channels, Size2 kernel_size, Conv2dOptions options)
      : in_channels_(in_channels), out_channels_(out_channels), kernel_size_(kernel_size), options_(options) {}
  std::size_t in_channels_, out_channels_;
  Size2 kernel_size_;
  Conv2dOptions options_;
};

struct Conv1dOptions {
  long stride = 1;
  long padding = 0;
  long dilation = 1;
  long groups = 1;
  bool bias = true;
};

template <class S>
class BasicConv1d : public Convertible<BasicConv1d, S> {
 public:
  BasicConv1d(std::size_t in_channels, std::size_t out_channels, long kernel_size, Conv1dOptions options = {},
              Generator& generator = default_generator());

  BasicTensor<S> forward(const BasicTensor<S>& input) override;

  // As Conv2d's, with fan_in = in_channels / groups * kernel_size.
  void reset_parameters(Generator& generator = default_generator());

  std::size_t in_channels() const { return in_channels_; }
  std::size_t out_channels() const { return out_channels_; }
  long kernel_size() const { return kernel_size_; }
  const Conv1dOptions& options() const { return options_; }

  template <class T>
  BasicConv1d<T> converted() const {
    BasicConv1d<T> out(typename BasicConv1d<T>::Unset{}, in_channels_, out_channels_, kernel_size_, options_);
    out.weight = this->template converted_tensor<T>(weight);
    out.bias = this->template converted_tensor<T>(bias);
    return out;
  }

  BasicTensor<S> weight;  // (out_channels, in_channels / groups, kernel_size)
  BasicTensor<S> bias;    // (out_channels), undefined with .bias = false

 protected:
  NamedTensors<S> local_parameters() const override;

 private:
  template <class>
  friend class BasicConv1d;
  struct Unset {};
  BasicConv1d(Unset, std::size_t in_channels, std::size_t out_channels, long kernel_size, Conv1dOptions options)
      : in_channels_(in_channels), out_channels_(out_channels), kernel_size_(kernel_size), options_(options) {}
  std::size_t in_channels_, out_channels_;
  long kernel_size_;
  Conv1dOptions options_;
};

using Conv2d = BasicConv2d<float>;
using Conv1d = BasicConv1d<float>;

extern template class BasicConv2d<float>;
extern template class BasicConv2d<double>;
extern template class BasicConv1d<float>;
extern template class BasicConv1d<double>;

}  // namespace xg::nn
