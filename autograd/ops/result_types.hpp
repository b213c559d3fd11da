#pragma once
// What the ops without a gradient return, and the scalar type of a
// scalar operand, shared by the op headers.

#include <cstdint>
#include <type_traits>

#include <xgrad/core/tensor.hpp>

namespace xg {

template <class S>
using Scalar_t = std::type_identity_t<S>;  // keeps a scalar operand from driving deduction

// What the ops without a gradient return: indices (argmax, argmin) as
// torch's int64, and the elementwise truth of comparisons as bool.
using IndexArray = xt::xarray<std::int64_t>;
using BoolArray = xt::xarray<bool>;

}  // namespace xg
