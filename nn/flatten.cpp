#include <xgrad/autograd/function.hpp>
#include <xgrad/autograd/ops.hpp>
#include <xgrad/nn/flatten.hpp>

namespace xg::nn {

template <class S>
BasicTensor<S> BasicFlatten<S>::forward(const BasicTensor<S>& input) {
  const auto& shape = input.shape();
  // A 0-D input flattens to (1,), as in torch.
  if (shape.size() == 0) return reshape(input, {1});
  const std::size_t start = autograd::normalize_axis("Flatten", start_dim_, shape.size());
  const std::size_t end = autograd::normalize_axis("Flatten", end_dim_, shape.size());
  if (start > end)
    throw_invalid_argument("Flatten", "start_dim " + std::to_string(start_dim_) + " comes after end_dim " +
                                          std::to_string(end_dim_) + " for an input of shape " +
                                          shape_to_string(shape));
  Shape out(shape.begin(), shape.begin() + long(start));
  std::size_t merged = 1;
  for (std::size_t i = start; i <= end; ++i) merged *= shape[i];
  out.push_back(merged);
  out.insert(out.end(), shape.begin() + long(end) + 1, shape.end());
  return reshape(input, out);
}

template <class S>
BasicTensor<S> BasicUnflatten<S>::forward(const BasicTensor<S>& input) {
  const auto& shape = input.shape();
  const std::size_t axis = autograd::normalize_axis("Unflatten", dim_, shape.size());
  const std::size_t product = checked_numel("Unflatten", sizes_);
  if (sizes_.empty() || product != shape[axis])
    throw_shape_error("Unflatten", "sizes " + shape_to_string(sizes_) + " do not multiply to the " +
                                       std::to_string(shape[axis]) + " elements of axis " + std::to_string(axis) +
                                       " of the input of shape " + shape_to_string(shape));
  Shape out(shape.begin(), shape.begin() + long(axis));
  out.insert(out.end(), sizes_.begin(), sizes_.end());
  out.insert(out.end(), shape.begin() + long(axis) + 1, shape.end());
  return reshape(input, out);
}

template class BasicFlatten<float>;
template class BasicFlatten<double>;
template class BasicUnflatten<float>;
template class BasicUnflatten<double>;

}  // namespace xg::nn
