#include <xgrad/optim/schedulers/polynomial_lr.hpp>

#include <algorithm>
#include <cmath>
#include <string>

#include <xgrad/core/error.hpp>
#include <xgrad/optim/schedulers/number_text.hpp>

namespace xg::optim {

PolynomialLR::PolynomialLR(OptimizerBase& optimizer, const PolynomialLROptions& options)
    : LRScheduler(optimizer, "PolynomialLR"), options_(options) {
  if (options.total_iters <= 0)
    throw_invalid_argument("PolynomialLR", "total_iters must be positive, got " + std::to_string(options.total_iters));
  if (!(options.power >= 0.0 && std::isfinite(options.power)))
    throw_invalid_argument("PolynomialLR",
                           "power must be non-negative and finite, got " + detail::number_text(options.power));
  initial_step();
}

double PolynomialLR::compute_lr(long epoch, std::size_t group) const {
  const double total = static_cast<double>(options_.total_iters);
  const double done = static_cast<double>(std::min(epoch, options_.total_iters));
  return base_lrs()[group] * std::pow(1.0 - done / total, options_.power);
}

}  // namespace xg::optim
