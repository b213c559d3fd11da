#pragma once
// torch.lerp's arithmetic, for the optimizers whose reference writes its
// running averages as lerps (Muon, Adafactor): start + w·(end − start), or
// end − (end − start)·(1 − w) when w ≥ 0.5, which gives end exactly at w = 1.

#include <cmath>

namespace xg::optim {

// For numbers or SIMD batches (with a number w).
template <class V, class Scalar>
V lerp(const V& start, const V& end, Scalar w) {
  return std::abs(w) < Scalar(0.5) ? V(start + w * (end - start)) : V(end - (end - start) * (1 - w));
}

}  // namespace xg::optim
