#pragma once
// Gradient clipping, between backward() and the optimizer's step():
// torch.nn.utils.clip_grad_norm_ and clip_grad_value_. Parameters without a
// gradient are skipped.

#include <vector>

#include <xgrad/core/tensor.hpp>

namespace xg::nn::utils {

// Scales every gradient by min(1, max_norm / (total + 1e-6)), where total is
// the norm_type-norm of all gradients taken together as one vector;
// norm_type may be std::numeric_limits<double>::infinity() (the largest
// absolute value). Returns total, measured before scaling. With
// error_if_nonfinite, a NaN or infinite total throws instead of spreading
// into every gradient.
template <class Scalar>
double clip_grad_norm_(const std::vector<BasicTensor<Scalar>>& parameters, double max_norm, double norm_type = 2.0,
                       bool error_if_nonfinite = false);

// Limits every gradient element to [-clip_value, clip_value].
template <class Scalar>
void clip_grad_value_(const std::vector<BasicTensor<Scalar>>& parameters, double clip_value);

}  // namespace xg::nn::utils
