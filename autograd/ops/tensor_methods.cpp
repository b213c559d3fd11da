// The methods of BasicTensor that are ops (t.T(), t.reshape(...), t[i],
// t.index(...), ...), defined here with the ops rather than in core/, which
// the ops build on.
#include <xgrad/autograd/ops.hpp>
#include <xgrad/core/tensor.hpp>

namespace xg {

template <class Scalar>
BasicTensor<Scalar> BasicTensor<Scalar>::T() const {
  return xg::transpose(*this);
}

template <class Scalar>
BasicTensor<Scalar> BasicTensor<Scalar>::reshape(const Shape& shape) const {
  return xg::reshape(*this, shape);
}

template <class Scalar>
BasicTensor<Scalar> BasicTensor<Scalar>::operator[](long i) const {
  return xg::select(*this, 0, i);
}

template <class Scalar>
BasicTensor<Scalar> BasicTensor<Scalar>::index(const std::vector<TensorIndex>& items) const {
  return xg::index(*this, items);
}

template <class Scalar>
BasicTensor<Scalar> BasicTensor<Scalar>::select(long axis, long i) const {
  return xg::select(*this, axis, i);
}

template <class Scalar>
BasicTensor<Scalar> BasicTensor<Scalar>::narrow(long axis, long start, std::size_t length) const {
  return xg::narrow(*this, axis, start, length);
}

template <class Scalar>
BasicTensor<Scalar> BasicTensor<Scalar>::permute(const std::vector<long>& axes) const {
  return xg::permute(*this, axes);
}

template <class Scalar>
BasicTensor<Scalar> BasicTensor<Scalar>::transpose(long a, long b) const {
  return xg::transpose(*this, a, b);
}

template <class Scalar>
BasicTensor<Scalar> BasicTensor<Scalar>::squeeze() const {
  return xg::squeeze(*this);
}

template <class Scalar>
BasicTensor<Scalar> BasicTensor<Scalar>::squeeze(long axis) const {
  return xg::squeeze(*this, axis);
}

template <class Scalar>
BasicTensor<Scalar> BasicTensor<Scalar>::unsqueeze(long axis) const {
  return xg::unsqueeze(*this, axis);
}

template <class Scalar>
BasicTensor<Scalar> BasicTensor<Scalar>::flatten(long start, long end) const {
  return xg::flatten(*this, start, end);
}

template <class Scalar>
BasicTensor<Scalar> BasicTensor<Scalar>::expand(const std::vector<long>& shape) const {
  return xg::expand(*this, shape);
}

template <class Scalar>
std::vector<BasicTensor<Scalar>> BasicTensor<Scalar>::split(std::size_t split_size, long axis) const {
  return xg::split(*this, split_size, axis);
}

template <class Scalar>
std::vector<BasicTensor<Scalar>> BasicTensor<Scalar>::chunk(std::size_t chunks, long axis) const {
  return xg::chunk(*this, chunks, axis);
}

#define XGRAD_INSTANTIATE(S)                                                            \
  template BasicTensor<S> BasicTensor<S>::T() const;                                    \
  template BasicTensor<S> BasicTensor<S>::reshape(const Shape&) const;                  \
  template BasicTensor<S> BasicTensor<S>::operator[](long) const;                       \
  template BasicTensor<S> BasicTensor<S>::index(const std::vector<TensorIndex>&) const; \
  template BasicTensor<S> BasicTensor<S>::select(long, long) const;                     \
  template BasicTensor<S> BasicTensor<S>::narrow(long, long, std::size_t) const;        \
  template BasicTensor<S> BasicTensor<S>::permute(const std::vector<long>&) const;      \
  template BasicTensor<S> BasicTensor<S>::transpose(long, long) const;                  \
  template BasicTensor<S> BasicTensor<S>::squeeze() const;                              \
  template BasicTensor<S> BasicTensor<S>::squeeze(long) const;                          \
  template BasicTensor<S> BasicTensor<S>::unsqueeze(long) const;                        \
  template BasicTensor<S> BasicTensor<S>::flatten(long, long) const;                    \
  template BasicTensor<S> BasicTensor<S>::expand(const std::vector<long>&) const;       \
  template std::vector<BasicTensor<S>> BasicTensor<S>::split(std::size_t, long) const;  \
  template std::vector<BasicTensor<S>> BasicTensor<S>::chunk(std::size_t, long) const;

XGRAD_INSTANTIATE(float)
XGRAD_INSTANTIATE(double)
#undef XGRAD_INSTANTIATE

}  // namespace xg
