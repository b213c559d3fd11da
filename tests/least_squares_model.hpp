#pragma once
// A small model for resuming optimizers from a checkpoint: least squares
// sum((A·w + b − y)²) with w of 3 and b of 2 values, named "w" and "b".

#include <xgrad/optim/optimizer_base.hpp>
#include <xgrad/xgrad.hpp>

struct LeastSquaresModel {
  xg::Tensor w = xg::tensor(xg::Array<float>{0.5f, -0.25f, 1.0f}, true);
  xg::Tensor b = xg::tensor(xg::Array<float>{0.1f, -0.1f}, true);

  xg::NamedTensors<float> named_parameters() const { return {{"w", w}, {"b", b}}; }

  void train_step(xg::optim::OptimizerBase& optimizer) const {
    static const auto a = xg::tensor(xg::Array<float>{{1.0f, 2.0f, 0.5f}, {-1.0f, 0.5f, 1.5f}});
    static const auto y = xg::tensor(xg::Array<float>{1.0f, -1.0f});
    optimizer.zero_grad();
    auto r = xg::matmul(a, w) + b - y;
    xg::sum(r * r).backward();
    optimizer.step();
  }
};
