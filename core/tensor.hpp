#pragma once
// xg::Tensor: a cheap-to-copy handle on a graph node holding a value and its
// gradient. Copies share the node, as torch.Tensor objects share storage.

#include <cstddef>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include <xgrad/core/array.hpp>
#include <xgrad/core/node.hpp>
#include <xgrad/core/tensor_index.hpp>

namespace xg {

template <class Scalar>
class BasicTensor {
 public:
  static_assert(std::is_same_v<Scalar, float> || std::is_same_v<Scalar, double>, "xg tensors hold float or double");
  using scalar_type = Scalar;
  using array_type = Array<Scalar>;
  using node_type = Node<Scalar>;
  using shape_type = typename array_type::shape_type;

  // An undefined tensor (like a default torch::Tensor); most accessors throw.
  BasicTensor() = default;
  explicit BasicTensor(array_type value, bool requires_grad = false);
  explicit BasicTensor(std::shared_ptr<node_type> node);

  bool defined() const { return node_ != nullptr; }

  // The value; assign any xtensor expression of the same shape to change it.
  array_type& value() const;
  // The gradient. Reading it where none was computed yet materialises zeros
  // of the value's shape, so `p.grad() = expr` works like `p.grad = ...`. A
  // row-sparse gradient is made dense first.
  array_type& grad() const;
  bool has_grad() const;
  // Whether the gradient is held as rows (from sparse_matmul or EmbeddingBag,
  // and no dense gradient added to it since).
  bool has_sparse_grad() const;
  // The row-sparse gradient; throws std::logic_error unless has_sparse_grad().
  const RowSparse<Scalar>& sparse_grad() const;
  // Zeroes the gradient in place (a sparse one keeps no rows), or drops it
  // (`set_to_none`).
  void zero_grad(bool set_to_none = false) const;

  const shape_type& shape() const { return value().shape(); }
  std::size_t dim() const { return value().dimension(); }
  std::size_t numel() const { return value().size(); }
  bool requires_grad() const;
  // Leaves only: marks the tensor as a parameter to differentiate.
  BasicTensor& requires_grad_(bool on = true);
  bool is_leaf() const;
  // The name of the op that produced this tensor ("leaf" for leaves).
  const char* op() const;

  // The only element of a one-element tensor; item<T>() converts it.
  Scalar item() const;
  template <class T>
  T item() const {
    return static_cast<T>(item());
  }
  // The tensor in another scalar type (float or double), as torch's .to:
  // differentiable, the gradient flowing back converted; the tensor itself
  // when the type is already its own.
  template <class To>
  BasicTensor<To> to() const;
  // A new leaf holding a copy of the value, outside any graph.
  BasicTensor detach() const;

  // Fills the gradients of the leaves this tensor depends on. Without a
  // gradient the tensor must hold exactly one element (seeded with 1).
  void backward(bool retain_graph = false) const;
  void backward(const array_type& gradient, bool retain_graph = false) const;

  // Shorthands for the free functions of the same name.
  BasicTensor T() const;
  BasicTensor reshape(const Shape& shape) const;
  BasicTensor operator[](long i) const;  // select(*this, 0, i)
  BasicTensor index(const std::vector<TensorIndex>& items) const;
  BasicTensor select(long axis, long i) const;
  BasicTensor narrow(long axis, long start, std::size_t length) const;
  BasicTensor permute(const std::vector<long>& axes) const;
  BasicTensor transpose(long a, long b) const;
  BasicTensor squeeze() const;
  BasicTensor squeeze(long axis) const;
  BasicTensor unsqueeze(long axis) const;
  BasicTensor flatten(long start = 0, long end = -1) const;
  BasicTensor expand(const std::vector<long>& shape) const;
  std::vector<BasicTensor> split(std::size_t split_size, long axis = 0) const;
  std::vector<BasicTensor> chunk(std::size_t chunks, long axis = 0) const;

  // Writes `v` (or a tensor broadcast to the indexed region's shape) into the
  // region of the value that `items` pick, as PyTorch's t[items] = v. Not
  // recorded: for data preparation and updates under no_grad; a tensor that
  // requires grad is refused while grad mode is on.
  BasicTensor& index_put_(const std::vector<TensorIndex>& items, Scalar v);
  BasicTensor& index_put_(const std::vector<TensorIndex>& items, const BasicTensor& v);

  const std::shared_ptr<node_type>& node() const { return node_; }

 private:
  node_type& checked_node(const char* what) const;
  std::shared_ptr<node_type> node_;
};

using Tensor = BasicTensor<float>;
using Tensor64 = BasicTensor<double>;

// Parameters with their names, as Module::named_parameters() gives them
// ("0.weight", "0.bias", ...).
template <class Scalar>
using NamedTensors = std::vector<std::pair<std::string, BasicTensor<Scalar>>>;

extern template class BasicTensor<float>;
extern template class BasicTensor<double>;

}  // namespace xg
