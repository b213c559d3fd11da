#include <xgrad/core/tensor.hpp>

#include <algorithm>
#include <string>

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
  // An op may have left the rows in the order it met them; a reader gets them ascending.
  sort_rows(*node_->sparse_grad);
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
template class BasicTensor<float>;
template class BasicTensor<double>;

}  // namespace xg
