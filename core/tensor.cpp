#include <xgrad/core/tensor.hpp>

#include <algorithm>
#include <string>

#include <xgrad/autograd/detail/region.hpp>
#include <xgrad/autograd/function.hpp>
#include <xgrad/autograd/grad_mode.hpp>
#include <xgrad/core/error.hpp>

namespace xg {

template <class Scalar>
BasicTensor<Scalar>::BasicTensor(array_type value, bool requires_grad)
    : node_(node_type::make(std::move(value), requires_grad)) {}

template <class Scalar>
BasicTensor<Scalar>::BasicTensor(std::shared_ptr<node_type> node) : node_(std::move(node)) {}

template <class Scalar>
typename BasicTensor<Scalar>::node_type& BasicTensor<Scalar>::checked_node(const char* what) const {
  if (!node_) throw std::logic_error(std::string(what) + ": the tensor is undefined (default-constructed)");
  return *node_;
}

template <class Scalar>
typename BasicTensor<Scalar>::array_type& BasicTensor<Scalar>::value() const {
  return checked_node("value").value;
}

template <class Scalar>
typename BasicTensor<Scalar>::array_type& BasicTensor<Scalar>::grad() const {
  node_type& n = checked_node("grad");
  n.densify_grad();
  if (!n.has_grad) {
    n.grad = array_type::from_shape(n.value.shape());
    n.grad.fill(Scalar(0));
    n.has_grad = true;
  }
  return n.grad;
}

template <class Scalar>
bool BasicTensor<Scalar>::has_grad() const {
  const node_type& n = checked_node("has_grad");
  return n.has_grad || n.sparse_grad;
}

template <class Scalar>
bool BasicTensor<Scalar>::has_sparse_grad() const {
  node_type& n = checked_node("has_sparse_grad");
  if (n.has_grad) n.densify_grad();
  return n.sparse_grad != nullptr;
}

template <class Scalar>
const RowSparse<Scalar>& BasicTensor<Scalar>::sparse_grad() const {
  if (!has_sparse_grad())
    throw std::logic_error(std::string("sparse_grad: the gradient of this '") + node_->op + "' tensor is " +
                           (node_->has_grad ? "dense" : "absent") + "; check has_sparse_grad() first");
  return *node_->sparse_grad;
}

template <class Scalar>
void BasicTensor<Scalar>::zero_grad(bool set_to_none) const {
  node_type& n = checked_node("zero_grad");
  if (set_to_none) {
    n.grad = array_type();
    n.has_grad = false;
    n.sparse_grad.reset();
    return;
  }
  if (n.has_grad) n.grad.fill(Scalar(0));
  if (n.sparse_grad) {
    n.sparse_grad->rows.clear();
    InlineShape empty(n.sparse_grad->values.shape().begin(), n.sparse_grad->values.shape().end());
    empty[0] = 0;
    n.sparse_grad->values = array_type::from_shape(empty);
  }
}

template <class Scalar>
bool BasicTensor<Scalar>::requires_grad() const {
  return checked_node("requires_grad").requires_grad;
}

template <class Scalar>
BasicTensor<Scalar>& BasicTensor<Scalar>::requires_grad_(bool on) {
  node_type& n = checked_node("requires_grad_");
  if (!n.is_leaf())
    throw GraphError(std::string("requires_grad_: only leaves can change requires_grad; this tensor comes from '") +
                     n.op + "' (use detach() first)");
  n.requires_grad = on;
  return *this;
}

template <class Scalar>
bool BasicTensor<Scalar>::is_leaf() const {
  return checked_node("is_leaf").is_leaf();
}

template <class Scalar>
const char* BasicTensor<Scalar>::op() const {
  return checked_node("op").op;
}

template <class Scalar>
Scalar BasicTensor<Scalar>::item() const {
  const array_type& v = value();
  if (v.size() != 1)
    throw std::invalid_argument("item: needs a tensor with exactly one element, got shape " +
                                shape_to_string(v.shape()) + " (" + std::to_string(v.size()) + " elements)");
  return v.data()[0];
}

template <class Scalar>
BasicTensor<Scalar> BasicTensor<Scalar>::detach() const {
  return BasicTensor(array_type(value()), false);
}

// A graph holds nodes of one scalar type, so the cast's node has no inputs
// in its own graph: its backward converts the gradient and hands it to this
// tensor's graph, which runs a pass of its own. That pass retains its graph,
// as other casts of the same tensor may still have to go through it; it is
// released with the tensors, as any graph.
template <class Scalar>
template <class To>
BasicTensor<To> BasicTensor<Scalar>::to() const {
  const node_type& n = checked_node("to");
  if constexpr (std::is_same_v<To, Scalar>) {
    return *this;
  } else {
    auto converted = Array<To>::from_shape(n.value.shape());
    std::copy(n.value.begin(), n.value.end(), converted.begin());
    if (!n.requires_grad || !is_grad_enabled()) return BasicTensor<To>(std::move(converted));
    auto node = Node<To>::make(std::move(converted), true);
    node->op = "to";
    autograd::record_shape(node->recorded_shapes, node->value.shape());
    node->backward = [source = node_](Node<To>& self) {
      auto gradient = Array<Scalar>::from_shape(self.grad.shape());
      std::copy(self.grad.begin(), self.grad.end(), gradient.begin());
      BasicTensor<Scalar>(source).backward(gradient, /*retain_graph=*/true);
    };
    return BasicTensor<To>(std::move(node));
  }
}

namespace {

// The region of t's value that `items` pick, once writing into it is allowed.
template <class Scalar>
autograd::Region writable_region(const BasicTensor<Scalar>& t, const std::vector<TensorIndex>& items) {
  if (t.requires_grad() && is_grad_enabled())
    throw GraphError(std::string("index_put_: cannot write into a '") + t.op() +
                     "' tensor that requires grad while grad mode is on; write under xg::no_grad "
                     "(data preparation, parameter updates)");
  return autograd::index_region("index_put_", to_shape(t.shape()), items);
}

}  // namespace

template <class Scalar>
BasicTensor<Scalar>& BasicTensor<Scalar>::index_put_(const std::vector<TensorIndex>& items, Scalar v) {
  const autograd::Region r = writable_region(*this, items);
  Scalar* dst = value().data();
  autograd::for_each_in_region(r, [&](std::size_t, std::ptrdiff_t i) { dst[i] = v; });
  return *this;
}

template <class Scalar>
BasicTensor<Scalar>& BasicTensor<Scalar>::index_put_(const std::vector<TensorIndex>& items, const BasicTensor& v) {
  const autograd::Region r = writable_region(*this, items);
  const auto& source = v.value();
  const std::size_t rank = r.extents.size(), source_rank = source.dimension();
  bool fits = source_rank <= rank;
  for (std::size_t d = 0; fits && d < source_rank; ++d) {
    const std::size_t have = source.shape()[source_rank - 1 - d];
    fits = have == 1 || have == r.extents[rank - 1 - d];
  }
  if (!fits)
    throw_shape_error("index_put_", "cannot write a tensor of shape " + shape_to_string(source.shape()) +
                                        " into a region of shape " + shape_to_string(r.extents) +
                                        " (it must broadcast to the region's shape)");
  // Evaluated first, so a source that shares this tensor's node is read whole before any write.
  const array_type values = xt::broadcast(source, r.extents);
  const Scalar* src = values.data();
  Scalar* dst = value().data();
  autograd::for_each_in_region(r, [&](std::size_t o, std::ptrdiff_t i) { dst[i] = src[o]; });
  return *this;
}

template class BasicTensor<float>;
template class BasicTensor<double>;
template BasicTensor<float> BasicTensor<float>::to<float>() const;
template BasicTensor<double> BasicTensor<float>::to<double>() const;
template BasicTensor<float> BasicTensor<double>::to<float>() const;
template BasicTensor<double> BasicTensor<double>::to<double>() const;

}  // namespace xg
