#include <xgrad/core/factories.hpp>

#include <cmath>
#include <limits>
#include <string>

#include <xgrad/core/error.hpp>
#include <xgrad/core/message.hpp>

namespace xg {

namespace {
template <class Scalar>
BasicTensor<Scalar> filled_with(const char* op, const Shape& shape, Scalar value, bool requires_grad) {
  checked_numel(op, shape);
  auto a = Array<Scalar>::from_shape(shape);
  a.fill(value);
  return BasicTensor<Scalar>(std::move(a), requires_grad);
}
}  // namespace

template <class Scalar>
BasicTensor<Scalar> full(const Shape& shape, Scalar value, bool requires_grad) {
  return filled_with("full", shape, value, requires_grad);
}

template <class Scalar>
BasicTensor<Scalar> zeros(const Shape& shape, bool requires_grad) {
  return filled_with("zeros", shape, Scalar(0), requires_grad);
}

template <class Scalar>
BasicTensor<Scalar> ones(const Shape& shape, bool requires_grad) {
  return filled_with("ones", shape, Scalar(1), requires_grad);
}

template <class Scalar>
BasicTensor<Scalar> arange(double start, double stop, double step, bool requires_grad) {
  if (step == 0 || !std::isfinite(start) || !std::isfinite(stop) || !std::isfinite(step))
    throw std::invalid_argument("arange: needs finite start, stop and a non-zero step, got start=" +
                                number_text(start) + " stop=" + number_text(stop) + " step=" + number_text(step));
  const double count = std::ceil((stop - start) / step);
  if (count >= static_cast<double>(std::numeric_limits<std::ptrdiff_t>::max()))
    throw std::invalid_argument("arange: [" + number_text(start) + ", " + number_text(stop) + ") in steps of " +
                                number_text(step) + " has more elements than an array can index");
  const auto n = count > 0 ? static_cast<std::size_t>(count) : std::size_t(0);
  auto a = Array<Scalar>::from_shape({n});
  for (std::size_t i = 0; i < n; ++i) a(i) = static_cast<Scalar>(start + step * static_cast<double>(i));
  return BasicTensor<Scalar>(std::move(a), requires_grad);
}

template <class Scalar>
BasicTensor<Scalar> arange(double n, bool requires_grad) {
  return arange<Scalar>(0.0, n, 1.0, requires_grad);
}

namespace {
template <class Scalar, class Draw>
BasicTensor<Scalar> filled_by(const char* op, const Shape& shape, bool requires_grad, Draw draw) {
  checked_numel(op, shape);
  auto a = Array<Scalar>::from_shape(shape);
  for (auto& x : a) x = static_cast<Scalar>(draw());
  return BasicTensor<Scalar>(std::move(a), requires_grad);
}
}  // namespace

template <class Scalar>
BasicTensor<Scalar> rand(const Shape& shape, bool requires_grad, Generator& gen) {
  return filled_by<Scalar>("rand", shape, requires_grad, [&] { return gen.uniform(); });
}

template <class Scalar>
BasicTensor<Scalar> randn(const Shape& shape, bool requires_grad, Generator& gen) {
  return filled_by<Scalar>("randn", shape, requires_grad, [&] { return gen.normal(); });
}

template <class Scalar>
BasicTensor<Scalar> uniform(const Shape& shape, double low, double high, bool requires_grad, Generator& gen) {
  if (!(low <= high))
    throw std::invalid_argument("uniform: needs low <= high, got low=" + number_text(low) +
                                " high=" + number_text(high));
  return filled_by<Scalar>("uniform", shape, requires_grad, [&] { return gen.uniform(low, high); });
}

#define XGRAD_INSTANTIATE_FACTORIES(S)                              \
  template BasicTensor<S> full<S>(const Shape&, S, bool);           \
  template BasicTensor<S> zeros<S>(const Shape&, bool);             \
  template BasicTensor<S> ones<S>(const Shape&, bool);              \
  template BasicTensor<S> arange<S>(double, bool);                  \
  template BasicTensor<S> arange<S>(double, double, double, bool);  \
  template BasicTensor<S> rand<S>(const Shape&, bool, Generator&);  \
  template BasicTensor<S> randn<S>(const Shape&, bool, Generator&); \
  template BasicTensor<S> uniform<S>(const Shape&, double, double, bool, Generator&);
XGRAD_INSTANTIATE_FACTORIES(float)
XGRAD_INSTANTIATE_FACTORIES(double)

}  // namespace xg
