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
  // The largest magnitude first (it is the inf-norm), then the p-norm of the
  // gradients divided by it, as a robust hypot does: the p-th powers of
  // 1e300 overflow a double, those of 1e-200 underflow to 0, but the scaled
  // values lie in [0, 1], so the norm is finite whenever the true norm is.
  std::vector<const Array<Scalar>*> grads;
  double largest = 0;
  for (const auto& p : parameters) {
    if (!p.defined() || !p.has_grad()) continue;
    grads.push_back(&p.grad());
    for (const Scalar g : *grads.back()) {
      const double a = std::abs(static_cast<double>(g));
      if (a > largest || std::isnan(a)) largest = a;
      if (std::isnan(largest)) break;
    }
  }
  double total = largest;
  if (!std::isinf(norm_type) && largest > 0 && std::isfinite(largest)) {
    double scaled = 0;
    for (const Array<Scalar>* grad : grads) {
      if (norm_type == 2)
        for (const Scalar g : *grad) scaled += (g / largest) * (g / largest);
      else if (norm_type == 1)
        for (const Scalar g : *grad) scaled += std::abs(g / largest);
      else
        for (const Scalar g : *grad) scaled += std::pow(std::abs(g / largest), norm_type);
    }
    total = largest * (norm_type == 2 ? std::sqrt(scaled) : norm_type == 1 ? scaled : std::pow(scaled, 1 / norm_type));
  }
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
