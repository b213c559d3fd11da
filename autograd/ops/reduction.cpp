// Reductions over all elements or over axes: sum, mean, max, min,
// logsumexp, var, std (argmax and argmin, which have no gradient, are in
// arg_extremum.cpp). Backward broadcasts the output gradient (with the reduced axes
// kept as 1) back over the input.

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <string>

#include <xtensor/xbroadcast.hpp>
#include <xtensor/xmath.hpp>

#include <xgrad/autograd/function.hpp>
#include <xgrad/autograd/ops.hpp>
#include <xgrad/core/message.hpp>
#include <xgrad/core/reduce.hpp>

namespace xg {

using autograd::record;

namespace {

// Sorted, distinct, non-negative axes, or an invalid_argument naming `op`.
std::vector<std::size_t> normalized_axes(const char* op, const std::vector<long>& axes, std::size_t rank) {
  std::vector<std::size_t> out;
  for (long a : axes) out.push_back(autograd::normalize_axis(op, a, rank));
  std::sort(out.begin(), out.end());
  if (std::adjacent_find(out.begin(), out.end()) != out.end())
    throw std::invalid_argument(std::string(op) + ": an axis is repeated in the axes given");
  return out;
}

std::vector<std::size_t> all_axes(std::size_t rank) {
  std::vector<std::size_t> out(rank);
  for (std::size_t i = 0; i < rank; ++i) out[i] = i;
  return out;
}

// The input's shape with each reduced axis set to 1.
template <class Sh>
Shape kept_shape(const Sh& shape, const std::vector<std::size_t>& axes) {
  Shape kept(shape.begin(), shape.end());
  for (auto a : axes) kept[a] = 1;
  return kept;
}

Shape reduced_shape(const Shape& kept, const std::vector<std::size_t>& axes, bool keepdims) {
  if (keepdims) return kept;
  Shape out;
  for (std::size_t i = 0; i < kept.size(); ++i)
    if (!std::binary_search(axes.begin(), axes.end(), i)) out.push_back(kept[i]);
  return out;
}

// How many input elements go into each output element; mean and max refuse
// to reduce over nothing, which has no value.
template <class Sh>
std::size_t reduced_count(const char* op, const Sh& shape, const std::vector<std::size_t>& axes) {
  std::size_t count = 1;
  for (auto a : axes) count *= shape[a];
  if (count == 0)
    throw std::invalid_argument(std::string(op) + ": cannot reduce over an empty extent (input shape " +
                                shape_to_string(shape) + ")");
  return count;
}

// The gradient of a reduction, reshaped to `kept`: the output gradient when
// keepdims was off lacks the reduced axes, and the node's value may not be
// reshaped in place (the user holds it).
template <class S>
Array<S> with_kept_axes(const Array<S>& a, const Shape& kept) {
  Array<S> out = a;
  out.reshape(kept);
  return out;
}

// The maximum and the minimum propagate NaN, as in PyTorch.
template <class S>
S nan_max(S a, S b) {
  return (b > a || std::isnan(b)) ? b : a;
}
template <class S>
S nan_min(S a, S b) {
  return (b < a || std::isnan(b)) ? b : a;
}

template <class S, class Combine>
BasicTensor<S> extremum_over(const char* op, Combine combine, const BasicTensor<S>& x,
                             const std::vector<std::size_t>& ax, bool keepdims) {
  reduced_count(op, x.shape(), ax);
  const Shape kept = kept_shape(x.shape(), ax);
  Array<S> m = reduce_axes(x.value(), ax, combine);
  m.reshape(reduced_shape(kept, ax, keepdims));
  // Every element equal to its extremum (NaN counting as equal to a NaN
  // extremum) gets an equal share of the gradient.
  return record<S>(op, std::move(m), {&x}, [ax, kept](Node<S>& self) {
    auto& in = *self.inputs[0];
    const Array<S> m = with_kept_axes(self.value, kept);
    const auto at_max = [](S v, S top) { return S(v == top || (std::isnan(v) && std::isnan(top))); };
    const Array<S> mask = xt::make_lambda_xfunction(at_max, in.value, xt::broadcast(m, in.value.shape()));
    const Array<S> share = with_kept_axes(self.grad, kept) / sum_axes(mask, ax);
    in.accumulate_grad(mask * xt::broadcast(share, in.value.shape()));
  });
}

}  // namespace

// d(sum x) / dx_i = 1
template <class S>
BasicTensor<S> sum(const BasicTensor<S>& x) {
  Array<S> total(sum_all(x.value()));
  return record<S>("sum", std::move(total), {&x}, [](Node<S>& self) {
    const S g = self.grad();
    autograd::accumulate_each(*self.inputs[0], [g](std::size_t) { return g; });
  });
}

template <class S>
BasicTensor<S> sum(const BasicTensor<S>& x, const std::vector<long>& axes, bool keepdims) {
  const auto ax = normalized_axes("sum", axes, x.dim());
  const Shape kept = kept_shape(x.shape(), ax);
  Array<S> total = sum_axes(x.value(), ax);
  total.reshape(reduced_shape(kept, ax, keepdims));
  return record<S>("sum", std::move(total), {&x}, [kept](Node<S>& self) {
    auto& in = *self.inputs[0];
    self.grad.reshape(kept);
    in.accumulate_grad(xt::broadcast(self.grad, in.value.shape()));
  });
}

// d(mean x) / dx_i = 1 / n
template <class S>
BasicTensor<S> mean(const BasicTensor<S>& x) {
  const S n = static_cast<S>(reduced_count("mean", x.shape(), all_axes(x.dim())));
  Array<S> average(sum_all(x.value()) / n);
  return record<S>("mean", std::move(average), {&x}, [n](Node<S>& self) {
    const S g = self.grad() / n;
    autograd::accumulate_each(*self.inputs[0], [g](std::size_t) { return g; });
  });
}

template <class S>
BasicTensor<S> mean(const BasicTensor<S>& x, const std::vector<long>& axes, bool keepdims) {
  const auto ax = normalized_axes("mean", axes, x.dim());
  const S n = static_cast<S>(reduced_count("mean", x.shape(), ax));
  const Shape kept = kept_shape(x.shape(), ax);
  Array<S> average = sum_axes(x.value(), ax);
  average /= n;
  average.reshape(reduced_shape(kept, ax, keepdims));
  return record<S>("mean", std::move(average), {&x}, [kept, n](Node<S>& self) {
    auto& in = *self.inputs[0];
    self.grad.reshape(kept);
    in.accumulate_grad(xt::broadcast(self.grad / n, in.value.shape()));
  });
}

template <class S>
BasicTensor<S> max(const BasicTensor<S>& x) {
  return extremum_over("max", nan_max<S>, x, all_axes(x.dim()), false);
}

template <class S>
BasicTensor<S> max(const BasicTensor<S>& x, const std::vector<long>& axes, bool keepdims) {
  return extremum_over("max", nan_max<S>, x, normalized_axes("max", axes, x.dim()), keepdims);
}

template <class S>
BasicTensor<S> min(const BasicTensor<S>& x) {
  return extremum_over("min", nan_min<S>, x, all_axes(x.dim()), false);
}

template <class S>
BasicTensor<S> min(const BasicTensor<S>& x, const std::vector<long>& axes, bool keepdims) {
  return extremum_over("min", nan_min<S>, x, normalized_axes("min", axes, x.dim()), keepdims);
}

// y = m + log(sum(exp(x - m))) with m the max over the axes, as
// torch.logsumexp, which shifts by 0 where m is infinite (so that a lane of
// -inf gives -inf, not NaN); dx = g exp(x - y), the softmax of the lane.
template <class S>
BasicTensor<S> logsumexp(const BasicTensor<S>& x, const std::vector<long>& axes, bool keepdims) {
  const auto ax = normalized_axes("logsumexp", axes, x.dim());
  const Shape kept = kept_shape(x.shape(), ax);
  Array<S> shift = reduce_axes(x.value(), ax, nan_max<S>);
  for (S& m : shift)
    if (std::isinf(m)) m = S(0);
  // std::exp and std::log element by element: xsimd 8's AVX-512BW log and
  // exp do not compile with g++ at -O0 (a Debug build).
  Array<S> exps = x.value() - xt::broadcast(shift, x.shape());
  for (S& e : exps) e = std::exp(e);
  Array<S> logs = sum_axes(exps, ax);
  for (S& l : logs) l = std::log(l);
  Array<S> y = logs + shift;
  y.reshape(reduced_shape(kept, ax, keepdims));
  return record<S>("logsumexp", std::move(y), {&x}, [kept](Node<S>& self) {
    auto& in = *self.inputs[0];
    const Array<S> g = with_kept_axes(self.grad, kept);
    const Array<S> y = with_kept_axes(self.value, kept);
    Array<S> softmax = in.value - xt::broadcast(y, in.value.shape());
    for (S& v : softmax) v = std::exp(v);
    in.accumulate_grad(xt::broadcast(g, in.value.shape()) * softmax);
  });
}

namespace {

// sum((x - mean)^2) / (n - correction), in two passes (the mean first), and
// its square root for std; dvar = 2 (x - mean) / (n - correction) g and
// dstd = (x - mean) / ((n - correction) std) g, as torch's var_backward and
// std_backward.
template <class S>
BasicTensor<S> spread(const char* op, bool root, const BasicTensor<S>& x, const std::vector<std::size_t>& ax,
                      bool keepdims, double correction) {
  const std::size_t n = reduced_count(op, x.shape(), ax);
  const double dof = static_cast<double>(n) - correction;
  if (!(dof > 0))
    throw std::invalid_argument(std::string(op) + ": correction " + number_text(correction) +
                                " leaves no degrees of freedom over " + std::to_string(n) + " elements (input shape " +
                                shape_to_string(x.shape()) + ")");
  const Shape kept = kept_shape(x.shape(), ax);
  const auto centered = [ax, n](const Array<S>& v) {
    const Array<S> mean = sum_axes(v, ax) / static_cast<S>(n);
    return Array<S>(v - xt::broadcast(mean, v.shape()));
  };
  const Array<S> d = centered(x.value());
  Array<S> y = sum_axes(Array<S>(d * d), ax) / static_cast<S>(dof);
  if (root) y = xt::sqrt(y);
  y.reshape(reduced_shape(kept, ax, keepdims));
  return record<S>(op, std::move(y), {&x}, [root, kept, dof, centered](Node<S>& self) {
    auto& in = *self.inputs[0];
    const auto shape = in.value.shape();
    const Array<S> g = with_kept_axes(self.grad, kept);
    if (root) {
      const Array<S> y = with_kept_axes(self.value, kept);
      in.accumulate_grad(centered(in.value) * xt::broadcast(g / (static_cast<S>(dof) * y), shape));
    } else {
      in.accumulate_grad(centered(in.value) * xt::broadcast(g * static_cast<S>(2.0 / dof), shape));
    }
  });
}

}  // namespace

template <class S>
BasicTensor<S> var(const BasicTensor<S>& x) {
  return spread("var", false, x, all_axes(x.dim()), false, 1.0);
}

template <class S>
BasicTensor<S> var(const BasicTensor<S>& x, const std::vector<long>& axes, bool keepdims, double correction) {
  return spread("var", false, x, normalized_axes("var", axes, x.dim()), keepdims, correction);
}

template <class S>
BasicTensor<S> std(const BasicTensor<S>& x) {
  return spread("std", true, x, all_axes(x.dim()), false, 1.0);
}

template <class S>
BasicTensor<S> std(const BasicTensor<S>& x, const std::vector<long>& axes, bool keepdims, double correction) {
  return spread("std", true, x, normalized_axes("std", axes, x.dim()), keepdims, correction);
}

#define XGRAD_INSTANTIATE(S)                                                                  \
  template BasicTensor<S> sum(const BasicTensor<S>&);                                         \
  template BasicTensor<S> sum(const BasicTensor<S>&, const std::vector<long>&, bool);         \
  template BasicTensor<S> mean(const BasicTensor<S>&);                                        \
  template BasicTensor<S> mean(const BasicTensor<S>&, const std::vector<long>&, bool);        \
  template BasicTensor<S> max(const BasicTensor<S>&);                                         \
  template BasicTensor<S> max(const BasicTensor<S>&, const std::vector<long>&, bool);         \
  template BasicTensor<S> min(const BasicTensor<S>&);                                         \
  template BasicTensor<S> min(const BasicTensor<S>&, const std::vector<long>&, bool);         \
  template BasicTensor<S> logsumexp(const BasicTensor<S>&, const std::vector<long>&, bool);   \
  template BasicTensor<S> var(const BasicTensor<S>&);                                         \
  template BasicTensor<S> var(const BasicTensor<S>&, const std::vector<long>&, bool, double); \
  template BasicTensor<S> std(const BasicTensor<S>&);                                         \
  template BasicTensor<S> std(const BasicTensor<S>&, const std::vector<long>&, bool, double);
XGRAD_INSTANTIATE(float)
XGRAD_INSTANTIATE(double)

}  // namespace xg
