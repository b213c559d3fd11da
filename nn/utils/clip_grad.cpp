#include <xgrad/nn/utils/clip_grad.hpp>

#include <algorithm>
#include <cmath>
#include <limits>
#include <stdexcept>
#include <string>

namespace xg::nn::utils {

template <class Scalar>
double clip_grad_norm_(const std::vector<BasicTensor<Scalar>>& parameters, double max_norm, double norm_type,
                       bool error_if_nonfinite) {
  if (!(max_norm >= 0))
    throw std::invalid_argument("clip_grad_norm_: max_norm must be >= 0, got " + std::to_string(max_norm));
  if (!(norm_type > 0))
    throw std::invalid_argument("clip_grad_norm_: norm_type must be > 0 or inf, got " + std::to_string(norm_type));
  // Accumulated in double: the p-th powers of float gradients would lose
  // digits (or overflow) in float.
  double accumulated = 0;
  for (const auto& p : parameters) {
    if (!p.defined() || !p.has_grad()) continue;
    const Scalar* g = p.grad().data();
    const std::size_t n = p.grad().size();
    if (std::isinf(norm_type))
      for (std::size_t i = 0; i < n; ++i) {
        const double a = std::abs(static_cast<double>(g[i]));
        if (a > accumulated || std::isnan(a)) accumulated = a;
      }
    else if (norm_type == 2)
      for (std::size_t i = 0; i < n; ++i) accumulated += static_cast<double>(g[i]) * g[i];
    else if (norm_type == 1)
      for (std::size_t i = 0; i < n; ++i) accumulated += std::abs(static_cast<double>(g[i]));
    else
      for (std::size_t i = 0; i < n; ++i) accumulated += std::pow(std::abs(static_cast<double>(g[i])), norm_type);
    if (std::isnan(accumulated)) break;
  }
  const double total = std::isinf(norm_type) || norm_type == 1 ? accumulated
                       : norm_type == 2                        ? std::sqrt(accumulated)
                                                               : std::pow(accumulated, 1 / norm_type);
  if (error_if_nonfinite && !std::isfinite(total))
    throw std::runtime_error("clip_grad_norm_: the total norm of the gradients is " + std::to_string(total) +
                             "; clipping would spread it into every gradient");
  const double coef = max_norm / (total + 1e-6);
  // A factor >= 1 leaves the gradients unchanged (PyTorch multiplies by 1).
  if (!(coef < 1) && !std::isnan(coef)) return total;
  const Scalar factor = static_cast<Scalar>(coef);
  for (const auto& p : parameters) {
    if (!p.defined() || !p.has_grad()) continue;
    Scalar* g = p.grad().data();
    for (std::size_t i = 0, n = p.grad().size(); i < n; ++i) g[i] *= factor;
  }
  return total;
}

template <class Scalar>
void clip_grad_value_(const std::vector<BasicTensor<Scalar>>& parameters, double clip_value) {
  if (!(clip_value >= 0))
    throw std::invalid_argument("clip_grad_value_: clip_value must be >= 0, got " + std::to_string(clip_value));
  const Scalar high = static_cast<Scalar>(std::min<double>(clip_value, std::numeric_limits<Scalar>::max()));
  for (const auto& p : parameters) {
    if (!p.defined() || !p.has_grad()) continue;
    Scalar* g = p.grad().data();
    for (std::size_t i = 0, n = p.grad().size(); i < n; ++i) g[i] = std::clamp(g[i], -high, high);
  }
}

template double clip_grad_norm_(const std::vector<BasicTensor<float>>&, double, double, bool);
template double clip_grad_norm_(const std::vector<BasicTensor<double>>&, double, double, bool);
template void clip_grad_value_(const std::vector<BasicTensor<float>>&, double);
template void clip_grad_value_(const std::vector<BasicTensor<double>>&, double);

}  // namespace xg::nn::utils
