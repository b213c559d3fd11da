#pragma once
// Dot product and largest magnitude of the flat vectors L-BFGS works on (all
// parameters end to end), summed in double whatever the scalar type.

#include <algorithm>
#include <cmath>
#include <vector>

namespace xg::optim::detail {

template <class Scalar>
double dot(const std::vector<Scalar>& a, const std::vector<Scalar>& b) {
  double sum = 0;
  for (std::size_t i = 0; i < a.size(); ++i) sum += static_cast<double>(a[i]) * static_cast<double>(b[i]);
  return sum;
}

template <class Scalar>
double max_abs(const std::vector<Scalar>& a) {
  double m = 0;
  for (Scalar v : a) m = std::max(m, std::abs(static_cast<double>(v)));
  return m;
}

}  // namespace xg::optim::detail
