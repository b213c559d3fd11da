#pragma once
// Reductions over all elements or over axes (ops/reduction.cpp), and the
// index reductions (ops/arg_extremum.cpp).

#include <vector>

#include <xgrad/autograd/ops/result_types.hpp>
#include <xgrad/core/tensor.hpp>

namespace xg {

template <class S>
BasicTensor<S> sum(const BasicTensor<S>& x);
template <class S>
BasicTensor<S> sum(const BasicTensor<S>& x, const std::vector<long>& axes, bool keepdims = false);
template <class S>
BasicTensor<S> mean(const BasicTensor<S>& x);
template <class S>
BasicTensor<S> mean(const BasicTensor<S>& x, const std::vector<long>& axes, bool keepdims = false);
// Ties split the gradient evenly among the maxima.
template <class S>
BasicTensor<S> max(const BasicTensor<S>& x);
template <class S>
BasicTensor<S> max(const BasicTensor<S>& x, const std::vector<long>& axes, bool keepdims = false);
template <class S>
BasicTensor<S> min(const BasicTensor<S>& x);
template <class S>
BasicTensor<S> min(const BasicTensor<S>& x, const std::vector<long>& axes, bool keepdims = false);
// log(sum(exp(x))) over the axes, shifted by the max so that nothing overflows.
template <class S>
BasicTensor<S> logsumexp(const BasicTensor<S>& x, const std::vector<long>& axes, bool keepdims = false);
// sum((x - mean)^2) / (n - correction) and its square root; correction = 1
// (Bessel's, torch's default) unless given. Over all elements with
// correction 1, or over `axes`; n - correction must be positive.
template <class S>
BasicTensor<S> var(const BasicTensor<S>& x);
template <class S>
BasicTensor<S> var(const BasicTensor<S>& x, const std::vector<long>& axes, bool keepdims = false,
                   double correction = 1);
template <class S>
BasicTensor<S> std(const BasicTensor<S>& x);
template <class S>
BasicTensor<S> std(const BasicTensor<S>& x, const std::vector<long>& axes, bool keepdims = false,
                   double correction = 1);
// The index of the first maximum (minimum), NaN counting as one, as torch:
// over the flattened tensor (a 0-D array), or along `axis`.
template <class S>
IndexArray argmax(const BasicTensor<S>& x);
template <class S>
IndexArray argmax(const BasicTensor<S>& x, long axis, bool keepdims = false);
template <class S>
IndexArray argmin(const BasicTensor<S>& x);
template <class S>
IndexArray argmin(const BasicTensor<S>& x, long axis, bool keepdims = false);

}  // namespace xg
