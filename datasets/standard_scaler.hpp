#pragma once
// Standardizes features to zero mean and unit variance per column, with
// statistics fitted on training data only and then applied to any data
// (sklearn's StandardScaler).

#include <cstddef>
#include <vector>

#include <xgrad/core/array.hpp>

namespace xg::datasets {

class StandardScaler {
 public:
  // Learns each column's mean and population standard deviation (ddof = 0,
  // as sklearn) from `features` of shape (samples, columns). A column that is
  // constant up to rounding gets scale 1, so it maps to zeros.
  template <class Scalar>
  StandardScaler& fit(const Array<Scalar>& features);
  // (x - mean) / scale, column by column, as a new array.
  template <class Scalar>
  Array<Scalar> transform(const Array<Scalar>& features) const;
  template <class Scalar>
  Array<Scalar> fit_transform(const Array<Scalar>& features);

  bool fitted() const { return !mean_.empty(); }
  const std::vector<double>& mean() const { return mean_; }
  const std::vector<double>& var() const { return var_; }
  const std::vector<double>& scale() const { return scale_; }

 private:
  std::vector<double> mean_, var_, scale_;
};

}  // namespace xg::datasets
