#pragma once
// std::cout << t prints a tensor as PyTorch's repr does (torch/_tensor_str.py,
// default print options: precision 4, threshold 1000, edgeitems 3, linewidth 80):
//
//   tensor([[1.5000, 2.0000],
//           [3.0000, 4.0000]], requires_grad=true)
//
// Whole numbers print as "1.", scientific notation is used when torch would
// (largest / smallest nonzero magnitude > 1000, or outside [1e-4, 1e8)), past
// 1000 elements only the first and last 3 of each dimension are shown around
// "...", float64 tensors say dtype=torch.float64, and a tensor computed by a
// recorded op names it (grad_fn=<matmul>) where torch names its backward node.

#include <iosfwd>

#include <xgrad/core/tensor.hpp>

namespace xg {

template <class Scalar>
std::ostream& operator<<(std::ostream& out, const BasicTensor<Scalar>& t);

}  // namespace xg
