#pragma once
// Elementwise and normalising activations as modules, for use in a Sequential.

#include <xgrad/nn/module.hpp>

namespace xg::nn {

class Tanh : public Module {
 public:
  Tensor forward(const Tensor& input) override;
};

class Sigmoid : public Module {
 public:
  Tensor forward(const Tensor& input) override;
};

class ReLU : public Module {
 public:
  Tensor forward(const Tensor& input) override;
};

// softmax along `axis` (negative counts from the end).
class Softmax : public Module {
 public:
  explicit Softmax(long axis) : axis_(axis) {}
  Tensor forward(const Tensor& input) override;
  long axis() const { return axis_; }

 private:
  long axis_;
};

class LogSoftmax : public Module {
 public:
  explicit LogSoftmax(long axis) : axis_(axis) {}
  Tensor forward(const Tensor& input) override;
  long axis() const { return axis_; }

 private:
  long axis_;
};

}  // namespace xg::nn
