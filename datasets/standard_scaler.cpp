#include <xgrad/datasets/standard_scaler.hpp>

#include <cmath>
#include <limits>
#include <stdexcept>

#include <xgrad/core/error.hpp>

namespace xg::datasets {

namespace {

template <class Scalar>
void check_matrix(const char* op, const Array<Scalar>& features) {
  if (features.dimension() != 2)
    throw_shape_error(op, "expects features of shape (samples, columns), got " + shape_to_string(features.shape()));
}

}  // namespace

template <class Scalar>
StandardScaler& StandardScaler::fit(const Array<Scalar>& features) {
  check_matrix("StandardScaler::fit", features);
  const std::size_t n = features.shape()[0], d = features.shape()[1];
  if (n == 0 || d == 0)
    throw_invalid_argument("StandardScaler::fit",
                           "needs at least one sample and one column, got shape " + shape_to_string(features.shape()));
  std::vector<double> mean(d, 0.0), var(d, 0.0), scale(d);
  const Scalar* x = features.data();
  for (std::size_t i = 0; i < n; ++i)
    for (std::size_t j = 0; j < d; ++j) mean[j] += x[i * d + j];
  for (auto& m : mean) m /= static_cast<double>(n);
  // Two passes: the sum of squared deviations, unlike E[x^2] - E[x]^2, does
  // not cancel catastrophically when the mean is large.
  for (std::size_t i = 0; i < n; ++i)
    for (std::size_t j = 0; j < d; ++j) {
      const double dev = x[i * d + j] - mean[j];
      var[j] += dev * dev;
    }
  constexpr double eps = std::numeric_limits<double>::epsilon();
  const double nd = static_cast<double>(n);
  for (std::size_t j = 0; j < d; ++j) {
    var[j] /= nd;
    if (!std::isfinite(mean[j]) || !std::isfinite(var[j]))
      throw_invalid_argument("StandardScaler::fit",
                             "column " + std::to_string(j) + " holds a non-finite value or overflows");
    // sklearn's bound on the rounding error of the variance of a constant column.
    const double rounding = nd * eps * var[j] + (nd * mean[j] * eps) * (nd * mean[j] * eps);
    scale[j] = var[j] <= rounding ? 1.0 : std::sqrt(var[j]);
  }
  mean_ = std::move(mean);
  var_ = std::move(var);
  scale_ = std::move(scale);
  return *this;
}

template <class Scalar>
Array<Scalar> StandardScaler::transform(const Array<Scalar>& features) const {
  if (!fitted()) throw std::logic_error("StandardScaler::transform: called before fit");
  check_matrix("StandardScaler::transform", features);
  const std::size_t n = features.shape()[0], d = features.shape()[1];
  if (d != mean_.size())
    throw_shape_error("StandardScaler::transform", "fitted on " + std::to_string(mean_.size()) +
                                                       " columns, got shape " + shape_to_string(features.shape()));
  auto out = Array<Scalar>::from_shape({n, d});
  const Scalar* x = features.data();
  Scalar* y = out.data();
  for (std::size_t i = 0; i < n; ++i)
    for (std::size_t j = 0; j < d; ++j) y[i * d + j] = static_cast<Scalar>((x[i * d + j] - mean_[j]) / scale_[j]);
  return out;
}

template <class Scalar>
Array<Scalar> StandardScaler::fit_transform(const Array<Scalar>& features) {
  return fit(features).transform(features);
}

template StandardScaler& StandardScaler::fit(const Array<float>&);
template StandardScaler& StandardScaler::fit(const Array<double>&);
template Array<float> StandardScaler::transform(const Array<float>&) const;
template Array<double> StandardScaler::transform(const Array<double>&) const;
template Array<float> StandardScaler::fit_transform(const Array<float>&);
template Array<double> StandardScaler::fit_transform(const Array<double>&);

}  // namespace xg::datasets
