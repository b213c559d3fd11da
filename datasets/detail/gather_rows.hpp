#pragma once
// Copying the rows a batch takes out of a dense array: the gathering
// DataLoader and TargetDataLoader share.

#include <cstddef>
#include <span>

#include <xgrad/core/array.hpp>
#include <xgrad/core/tensor.hpp>

namespace xg::datasets {

// Sets `to` to the rows of `from` (samples, ...) at `samples`, in that order.
// The previous batch's tensor is reused only when nobody else holds it: a
// graph built on it, a copy the caller kept, or a view of it (a row, a
// reshape) must not see it change.
template <class S>
void gather_rows(const Array<S>& from, std::span<const std::size_t> samples, BasicTensor<S>& to);

extern template void gather_rows(const Array<float>&, std::span<const std::size_t>, BasicTensor<float>&);
extern template void gather_rows(const Array<double>&, std::span<const std::size_t>, BasicTensor<double>&);

}  // namespace xg::datasets
