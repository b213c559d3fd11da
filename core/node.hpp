#pragma once
// One vertex of the autograd graph: a value, its gradient, and how to send the
// gradient back to the inputs it was computed from.

#include <atomic>
#include <memory>
#include <string>
#include <vector>

#include <xtensor/xnoalias.hpp>

#include <xgrad/core/array.hpp>
#include <xgrad/core/backward_closure.hpp>
#include <xgrad/core/error.hpp>
#include <xgrad/core/row_sparse.hpp>

namespace xg {

namespace detail {
// Nodes of both scalar types count here, so tests can check that training
// loops release their graphs.
inline std::atomic<long> live_node_count{0};
}  // namespace detail

template <class Scalar>
struct Node {
  using Ptr = std::shared_ptr<Node>;
  // Receives the node itself: its gradient is complete when this runs, and its
  // inputs are in `inputs`. Closures must hold evaluated containers only.
  using BackwardFn = BackwardClosure<Node>;
  // A node, its lists and its closure come from the buffer cache too: the
  // next step records the same graph.
  template <class... Args>
  static Ptr make(Args&&... args) {
    return std::allocate_shared<Node>(memory::BufferAllocator<Node>(), std::forward<Args>(args)...);
  }

  Array<Scalar> value;
  Array<Scalar> grad;  // meaningful only when has_grad
  bool has_grad = false;
  // Rows of gradient kept sparse (sparse_matmul, EmbeddingBag); the gradient
  // is grad + *sparse_grad until densify_grad() folds them together. A
  // pointer, so that nodes without one stay small.
  std::unique_ptr<RowSparse<Scalar>> sparse_grad;
  bool requires_grad = false;
  bool graph_freed = false;  // an interior node whose backward already ran without retain_graph
  const char* op = "leaf";
  std::string origin;  // where the op was recorded, kept only in anomaly mode (autograd/anomaly.hpp)
  BufferVector<Ptr> inputs;
  // The shapes of this node's value and of each input's value when the op
  // was recorded, as rank then extents, one after the other: a backward
  // closure indexes them by these shapes, so the engine refuses to run it
  // once a value was replaced by one of another shape.
  BufferVector<std::size_t> recorded_shapes;
  BackwardFn backward;

  Node() { ++detail::live_node_count; }
  explicit Node(Array<Scalar> v, bool rg = false) : value(std::move(v)), requires_grad(rg) {
    ++detail::live_node_count;
  }
  Node(const Node&) = delete;
  Node& operator=(const Node&) = delete;

  // A chain of a million ops would otherwise be freed by a million nested
  // destructor calls; unlink it iteratively instead.
  ~Node() {
    --detail::live_node_count;
    BufferVector<Ptr> pending = std::move(inputs);
    while (!pending.empty()) {
      Ptr n = std::move(pending.back());
      pending.pop_back();
      if (n && n.use_count() == 1) {
        for (auto& in : n->inputs) pending.push_back(std::move(in));
        n->inputs.clear();
      }
    }
  }

  // Created by the user, or by an op that recorded nothing.
  bool is_leaf() const { return !backward && !graph_freed; }

  // Adds `g` (any expression of this node's shape) to the gradient, writing in
  // place once the gradient exists.
  template <class E>
  void accumulate_grad(E&& g) {
    if (!has_grad) {
      grad = std::forward<E>(g);
      has_grad = true;
    } else {
      check_grad_shape();
      xt::noalias(grad) += std::forward<E>(g);
    }
  }

  // Adds a row-sparse gradient: into the dense gradient if there is one,
  // otherwise merged with the sparse rows held so far.
  void accumulate_sparse_grad(RowSparse<Scalar>&& g, RowCheck check = RowCheck::all) {
    check_rows_fit(op, g, {value.shape().data(), value.shape().size()}, check);
    if (has_grad) {
      check_grad_shape();
      add_rows_to(grad, g);
    } else if (sparse_grad) {
      merge_rows(*sparse_grad, g);
    } else {
      sparse_grad = std::make_unique<RowSparse<Scalar>>(std::move(g));
    }
  }

  // Where a BLAS product writes this node's gradient, with the beta to pass:
  // a fresh buffer to overwrite (beta = 0), or the existing gradient to add
  // to (beta = 1). Saves zeroing a buffer gemm would only scale by 0.
  Scalar* gradient_for_gemm(Scalar& beta) {
    if (has_grad) {
      check_grad_shape();
      beta = Scalar(1);
    } else {
      grad = Array<Scalar>::from_shape(value.shape());
      has_grad = true;
      beta = Scalar(0);
    }
    return grad.data();
  }

  // Leaves the whole gradient in `grad`.
  void densify_grad() {
    if (!sparse_grad) return;
    if (!has_grad) {
      grad = Array<Scalar>::from_shape(value.shape());
      grad.fill(Scalar(0));
      has_grad = true;
    } else {
      check_grad_shape();
    }
    add_rows_to(grad, *sparse_grad);
    sparse_grad.reset();
  }

  // A gradient assigned by hand may have any shape; adding to one that does
  // not match the value would write out of bounds.
  void check_grad_shape() const {
    if (!shapes_equal(grad.shape(), value.shape()))
      throw ShapeError(std::string("backward: cannot accumulate into the gradient of a '") + op +
                       "' tensor: it has shape " + shape_to_string(grad.shape()) + " but the value has shape " +
                       shape_to_string(value.shape()));
  }
};

}  // namespace xg
