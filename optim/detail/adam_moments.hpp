#pragma once
// What Adam, AdamW, NAdam and RAdam share ahead of their different steps: the
// running averages of the gradient and of its square, and the bias
// corrections 1 − β^t that undo the averages' start from zero.

#include <array>
#include <cmath>
#include <cstdint>

#include <xgrad/optim/detail/elementwise.hpp>

namespace xg::optim {

template <class Scalar>
struct AdamMoments {
  double bias_correction1;  // 1 − β1^t
  double bias_correction2;  // 1 − β2^t
  Scalar beta1, beta2, rest1, rest2;

  AdamMoments(const std::array<double, 2>& betas, std::int64_t step)
      : bias_correction1(1 - std::pow(betas[0], static_cast<double>(step))),
        bias_correction2(1 - std::pow(betas[1], static_cast<double>(step))),
        beta1(betas[0]),
        beta2(betas[1]),
        rest1(1 - betas[0]),
        rest2(1 - betas[1]) {}

  // m ← β1·m + (1 − β1)·g,  v ← β2·v + (1 − β2)·g², on SIMD batches or single values.
  template <class V>
  void accumulate(V& m, V& v, const V& g) const {
    m = beta1 * m + rest1 * g;
    v = decayed_average(beta2, v, rest2 * g * g);
  }
};

}  // namespace xg::optim
