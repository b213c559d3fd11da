// The index reductions argmax and argmin, as torch's: over the flattened
// tensor or along one axis, the first extremum winning ties and a NaN counting
// as the extremum. They have no gradient.

#include <cmath>
#include <cstdint>
#include <optional>
#include <string>

#include <xgrad/autograd/function.hpp>
#include <xgrad/autograd/ops.hpp>
#include <xgrad/core/error.hpp>
#include <xgrad/core/message.hpp>

namespace xg {

namespace {

// The flat position, within each lane along `axis`, of its first extremum
// (a NaN counting as the extremum, as torch.argmax and argmin).
template <class S>
IndexArray arg_extremum(const char* op, const BasicTensor<S>& x, std::optional<long> axis, bool keepdims, bool less) {
  const Array<S>& v = x.value();
  const auto better = [less](S candidate, S best) {
    if (std::isnan(best)) return false;
    return std::isnan(candidate) || (less ? candidate < best : candidate > best);
  };
  if (!axis) {
    if (v.size() == 0) throw_invalid_argument(op, "cannot take the index of an extremum of an empty tensor");
    std::size_t best = 0;
    for (std::size_t i = 1; i < v.size(); ++i)
      if (better(v.data()[i], v.data()[best])) best = i;
    IndexArray out = IndexArray::from_shape({});
    out() = static_cast<std::int64_t>(best);
    return out;
  }
  const std::size_t a = autograd::normalize_axis(op, *axis, x.dim());
  const auto& shape = v.shape();
  if (shape[a] == 0)
    throw_invalid_argument(op, "cannot take the index of an extremum over an empty axis " + std::to_string(a) +
                                   " (input shape " + shape_to_string(shape) + ")");
  std::size_t outer = 1, inner = 1;
  for (std::size_t i = 0; i < a; ++i) outer *= shape[i];
  for (std::size_t i = a + 1; i < shape.size(); ++i) inner *= shape[i];
  const std::size_t n = shape[a];
  Shape out_shape(shape.begin(), shape.end());
  if (keepdims)
    out_shape[a] = 1;
  else
    out_shape.erase(out_shape.begin() + static_cast<std::ptrdiff_t>(a));
  IndexArray out = IndexArray::from_shape(out_shape);
  for (std::size_t o = 0; o < outer; ++o)
    for (std::size_t j = 0; j < inner; ++j) {
      const S* lane = v.data() + o * n * inner + j;
      std::size_t best = 0;
      for (std::size_t k = 1; k < n; ++k)
        if (better(lane[k * inner], lane[best * inner])) best = k;
      out.data()[o * inner + j] = static_cast<std::int64_t>(best);
    }
  return out;
}

}  // namespace

template <class S>
IndexArray argmax(const BasicTensor<S>& x) {
  return arg_extremum("argmax", x, std::nullopt, false, false);
}

template <class S>
IndexArray argmax(const BasicTensor<S>& x, long axis, bool keepdims) {
  return arg_extremum("argmax", x, axis, keepdims, false);
}

template <class S>
IndexArray argmin(const BasicTensor<S>& x) {
  return arg_extremum("argmin", x, std::nullopt, false, true);
}

template <class S>
IndexArray argmin(const BasicTensor<S>& x, long axis, bool keepdims) {
  return arg_extremum("argmin", x, axis, keepdims, true);
}

#define XGRAD_INSTANTIATE(S)                                     \
  template IndexArray argmax(const BasicTensor<S>&);             \
  template IndexArray argmax(const BasicTensor<S>&, long, bool); \
  template IndexArray argmin(const BasicTensor<S>&);             \
  template IndexArray argmin(const BasicTensor<S>&, long, bool);
XGRAD_INSTANTIATE(float)
XGRAD_INSTANTIATE(double)

}  // namespace xg
