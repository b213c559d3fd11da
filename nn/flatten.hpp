#pragma once
// Flatten and Unflatten, as torch.nn.Flatten(start_dim = 1, end_dim = -1)
// and torch.nn.Unflatten(dim, sizes): reshapes, so the gradient is the
// output's reshaped back.

#include <cstddef>
#include <vector>
#include <xgrad/nn/module.hpp>

namespace xg::nn {

// Merges the axes start_dim..end_dim (negative counts from the end) into one.
template <class S>
class BasicFlatten : public Convertible<BasicFlatten, S> {
 public:
  explicit BasicFlatten(long start_dim = 1, long end_dim = -1) : start_dim_(start_dim), end_dim_(end_dim) {}
  BasicTensor<S> forward(const BasicTensor<S>& input) override;
  long start_dim() const { return start_dim_; }
  long end_dim() const { return end_dim_; }
  template <class T>
  BasicFlatten<T> converted() const {
    return BasicFlatten<T>(start_dim_, end_dim_);
  }

 private:
  long start_dim_, end_dim_;
};

// Splits axis `dim` (negative counts from the end) into `sizes`, whose
// product must be its extent.
template <class S>
class BasicUnflatten : public Convertible<BasicUnflatten, S> {
 public:
  BasicUnflatten(long dim, std::vector<std::size_t> sizes) : dim_(dim), sizes_(std::move(sizes)) {}
  BasicTensor<S> forward(const BasicTensor<S>& input) override;
  long dim() const { return dim_; }
  const std::vector<std::size_t>& sizes() const { return sizes_; }
  template <class T>
  BasicUnflatten<T> converted() const {
    return BasicUnflatten<T>(dim_, sizes_);
  }

 private:
  long dim_;
  std::vector<std::size_t> sizes_;
};

using Flatten = BasicFlatten<float>;
using Unflatten = BasicUnflatten<float>;

extern template class BasicFlatten<float>;
extern template class BasicFlatten<double>;
extern template class BasicUnflatten<float>;
extern template class BasicUnflatten<double>;

}  // namespace xg::nn
