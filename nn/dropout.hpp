#pragma once
// Dropout as a module: active in training mode only (see functional::dropout).

#include <xgrad/core/generator.hpp>
#include <xgrad/nn/module.hpp>

namespace xg::nn {

class Dropout : public Module {
 public:
  // p in [0, 1]. The masks come from `generator`, which must outlive the module.
  explicit Dropout(double p = 0.5, Generator& generator = default_generator());

  Tensor forward(const Tensor& input) override;
  double p() const { return p_; }

 private:
  double p_;
  Generator* generator_;
};

}  // namespace xg::nn
