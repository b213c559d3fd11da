#pragma once
// Elementwise and normalising activations as modules, for use in a Sequential.

#include <string>
#include <utility>
#include <xgrad/nn/module.hpp>

namespace xg::nn {

template <class S>
class BasicTanh : public Convertible<BasicTanh, S> {
 public:
  BasicTensor<S> forward(const BasicTensor<S>& input) override;
  template <class T>
  BasicTanh<T> converted() const {
    return {};
  }
};

template <class S>
class BasicSigmoid : public Convertible<BasicSigmoid, S> {
 public:
  BasicTensor<S> forward(const BasicTensor<S>& input) override;
  template <class T>
  BasicSigmoid<T> converted() const {
    return {};
  }
};

template <class S>
class BasicReLU : public Convertible<BasicReLU, S> {
 public:
  BasicTensor<S> forward(const BasicTensor<S>& input) override;
  template <class T>
  BasicReLU<T> converted() const {
    return {};
  }
};

// softmax along `axis` (negative counts from the end).
template <class S>
class BasicSoftmax : public Convertible<BasicSoftmax, S> {
 public:
  explicit BasicSoftmax(long axis) : axis_(axis) {}
  BasicTensor<S> forward(const BasicTensor<S>& input) override;
  long axis() const { return axis_; }
  template <class T>
  BasicSoftmax<T> converted() const {
    return BasicSoftmax<T>(axis_);
  }

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
  BasicLogSoftmax<T> converted() const {
    return BasicLogSoftmax<T>(axis_);
  }

 private:
  long axis_;
};

// The options of the activations below, as torch.nn's arguments; the ops
// (autograd/ops.hpp) check them on the first forward.
struct GELUOptions {
  std::string approximate = "none";  // or "tanh"
};
struct ELUOptions {
  double alpha = 1.0;
};
struct LeakyReLUOptions {
  double negative_slope = 0.01;
};
struct SoftplusOptions {
  double beta = 1.0;
  double threshold = 20.0;  // x itself where beta x > threshold
};

template <class S>
class BasicGELU : public Convertible<BasicGELU, S> {
 public:
  explicit BasicGELU(GELUOptions options = {}) : options(std::move(options)) {}
  BasicTensor<S> forward(const BasicTensor<S>& input) override;
  template <class T>
  BasicGELU<T> converted() const {
    return BasicGELU<T>(options);
  }
  GELUOptions options;
};

template <class S>
class BasicSiLU : public Convertible<BasicSiLU, S> {
 public:
  BasicTensor<S> forward(const BasicTensor<S>& input) override;
  template <class T>
  BasicSiLU<T> converted() const {
    return {};
  }
};

template <class S>
class BasicELU : public Convertible<BasicELU, S> {
 public:
  explicit BasicELU(ELUOptions options = {}) : options(options) {}
  BasicTensor<S> forward(const BasicTensor<S>& input) override;
  template <class T>
  BasicELU<T> converted() const {
    return BasicELU<T>(options);
  }
  ELUOptions options;
};

template <class S>
class BasicLeakyReLU : public Convertible<BasicLeakyReLU, S> {
 public:
  explicit BasicLeakyReLU(LeakyReLUOptions options = {}) : options(options) {}
  BasicTensor<S> forward(const BasicTensor<S>& input) override;
  template <class T>
  BasicLeakyReLU<T> converted() const {
    return BasicLeakyReLU<T>(options);
  }
  LeakyReLUOptions options;
};

template <class S>
class BasicSoftplus : public Convertible<BasicSoftplus, S> {
 public:
  explicit BasicSoftplus(SoftplusOptions options = {}) : options(options) {}
  BasicTensor<S> forward(const BasicTensor<S>& input) override;
  template <class T>
  BasicSoftplus<T> converted() const {
    return BasicSoftplus<T>(options);
  }
  SoftplusOptions options;
};

using Tanh = BasicTanh<float>;
using Sigmoid = BasicSigmoid<float>;
using ReLU = BasicReLU<float>;
using Softmax = BasicSoftmax<float>;
using LogSoftmax = BasicLogSoftmax<float>;
using GELU = BasicGELU<float>;
using SiLU = BasicSiLU<float>;
using ELU = BasicELU<float>;
using LeakyReLU = BasicLeakyReLU<float>;
using Softplus = BasicSoftplus<float>;

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
extern template class BasicGELU<float>;
extern template class BasicGELU<double>;
extern template class BasicSiLU<float>;
extern template class BasicSiLU<double>;
extern template class BasicELU<float>;
extern template class BasicELU<double>;
extern template class BasicLeakyReLU<float>;
extern template class BasicLeakyReLU<double>;
extern template class BasicSoftplus<float>;
extern template class BasicSoftplus<double>;

}  // namespace xg::nn
