// Reverse-mode differentiation over the recorded graph: order the interior
// nodes so that each comes after every node that uses it, then run their
// backward closures from the output down, releasing the graph as it goes.

#include <algorithm>
#include <cstdint>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <unordered_set>
#include <utility>
#include <vector>

#include <xgrad/autograd/anomaly.hpp>
#include <xgrad/autograd/function.hpp>
#include <xgrad/autograd/post_accumulate_grad_hook.hpp>
#include <xgrad/core/error.hpp>
#include <xgrad/core/tensor.hpp>

namespace xg {

namespace autograd {

std::size_t normalize_axis(const char* op, long axis, std::size_t rank) {
  const long r = static_cast<long>(rank);
  if (rank == 0)
    throw std::invalid_argument(std::string(op) + ": axis " + std::to_string(axis) +
                                " is out of range for a 0-D tensor (it has no axes)");
  if (axis < -r || axis >= r)
    throw std::invalid_argument(std::string(op) + ": axis " + std::to_string(axis) + " is out of range for a " +
                                std::to_string(rank) + "-D tensor (valid: " + std::to_string(-r) + " to " +
                                std::to_string(r - 1) + ")");
  return static_cast<std::size_t>(axis < 0 ? axis + r : axis);
}

namespace {

template <class Scalar>
[[noreturn]] void throw_freed(const Node<Scalar>& n) {
  throw GraphError(std::string("backward: trying to go backward through the graph a second time (at op '") + n.op +
                   "'); its buffers were freed by the first backward. Pass retain_graph=true to the first "
                   "backward to go through it again.");
}

// A backward closure indexes its node's value and its inputs' values by the
// shapes they had when the op was recorded; a value replaced since by one of
// another shape (`w.value() = ...`) would make it read and write out of
// bounds, so the pass is refused before anything runs.
template <class Scalar>
void check_recorded_shapes(const Node<Scalar>& node) {
  const std::size_t* recorded = node.recorded_shapes.data();
  const std::size_t* const end = recorded + node.recorded_shapes.size();
  for (std::size_t k = 0; recorded != end; ++k) {
    const Node<Scalar>& tensor = k == 0 ? node : *node.inputs[k - 1];
    const auto& now = tensor.value.shape();
    const std::size_t rank = *recorded++;
    const std::span<const std::size_t> then(recorded, rank);
    recorded += rank;
    if (tensor.has_grad) tensor.check_grad_shape();
    if (shapes_equal(now, then)) continue;
    const std::string which =
        k == 0 ? std::string("the output of '") + node.op + "'"
               : "input " + std::to_string(k - 1) + " of '" + node.op + "' (a '" + tensor.op + "' tensor)";
    throw ShapeError("backward: the value of " + which + " has shape " + shape_to_string(now) + " but had shape " +
                     shape_to_string(then) + " when '" + node.op +
                     "' was recorded; its value was replaced by one of another shape. Assign values of the same "
                     "shape, or run the forward again after changing it");
  }
}

// The nodes a pass has reached, an open-addressed set of pointers: an
// unordered_set would allocate once per node per backward.
class ReachedSet {
 public:
  bool insert(const void* p) {
    if ((filled_.size() + 1) * 2 > slots_.size()) grow();
    const std::size_t mask = slots_.size() - 1;
    for (std::size_t i = hash(p) & mask;; i = (i + 1) & mask) {
      if (slots_[i] == p) return false;
      if (!slots_[i]) {
        slots_[i] = p;
        filled_.push_back(i);
        return true;
      }
    }
  }
  // Costs what was inserted, not the capacity a larger graph left behind.
  void clear() noexcept {
    for (std::size_t i : filled_) slots_[i] = nullptr;
    filled_.clear();
  }

 private:
  static std::size_t hash(const void* p) {
    return static_cast<std::size_t>((reinterpret_cast<std::uintptr_t>(p) >> 4) * 0x9E3779B97F4A7C15ull >> 16);
  }
  void grow() {
    std::vector<const void*> kept;
    kept.reserve(filled_.size());
    for (std::size_t i : filled_) kept.push_back(slots_[i]);
    slots_.assign(std::max<std::size_t>(64, slots_.size() * 2), nullptr);
    filled_.clear();
    filled_.reserve(slots_.size() / 2);
    for (const void* p : kept) insert(p);
  }
  std::vector<const void*> slots_;
  std::vector<std::size_t> filled_;
};

// What a pass needs besides the graph, kept per thread between passes so a
// steady training step allocates none of it. A backward started from inside
// another (a hook's or a custom function's) gets its own.
template <class Scalar>
struct PassScratch {
  using Ptr = std::shared_ptr<Node<Scalar>>;
  std::vector<Ptr> order;
  std::vector<std::pair<Ptr, std::size_t>> stack;
  ReachedSet reached;
  bool in_use = false;

  void clear() noexcept {
    order.clear();
    stack.clear();
    reached.clear();
  }
};

// Interior nodes reachable from `root` into `scratch.order`, each after all
// nodes that consume it (reverse post-order of a depth-first search). Checked
// before any gradient is touched, so a refused backward changes nothing.
template <class Scalar>
void order_interior_nodes_for_backward(const std::shared_ptr<Node<Scalar>>& root, PassScratch<Scalar>& scratch) {
  using Ptr = std::shared_ptr<Node<Scalar>>;
  auto& post_order = scratch.order;
  auto& stack = scratch.stack;
  auto interior = [](const Ptr& n) { return n->requires_grad && (n->backward || n->graph_freed); };
  if (!interior(root)) return;
  stack.emplace_back(root, 0);
  scratch.reached.insert(root.get());
  while (!stack.empty()) {
    auto& [node, next] = stack.back();
    if (node->graph_freed) throw_freed(*node);
    if (next < node->inputs.size()) {
      const Ptr& child = node->inputs[next++];
      if (interior(child) && scratch.reached.insert(child.get())) stack.emplace_back(child, 0);
    } else {
      check_recorded_shapes(*node);
      post_order.push_back(std::move(node));
      stack.pop_back();
    }
  }
  std::reverse(post_order.begin(), post_order.end());
}

// The gradients of the leaves a pass reaches, as they were before it: in
// anomaly mode a refused pass puts them back, so that a parameter is not left
// holding the NaN the error reported (nor half of a pass's contributions).
template <class Scalar>
class LeafGradients {
 public:
  explicit LeafGradients(const std::vector<std::shared_ptr<Node<Scalar>>>& order) {
    std::unordered_set<const Node<Scalar>*> seen;
    for (const auto& node : order)
      for (const auto& input : node->inputs)
        if (input->is_leaf() && input->requires_grad && seen.insert(input.get()).second)
          saved_.push_back({input.get(), input->has_grad, input->has_grad ? input->grad : Array<Scalar>(),
                            input->sparse_grad ? std::make_unique<RowSparse<Scalar>>(*input->sparse_grad) : nullptr});
  }
  void restore() {
    for (Saved& s : saved_) {
      s.node->has_grad = s.has_grad;
      s.node->grad = std::move(s.grad);
      s.node->sparse_grad = std::move(s.sparse_grad);
    }
  }

 private:
  struct Saved {
    Node<Scalar>* node;
    bool has_grad;
    Array<Scalar> grad;
    std::unique_ptr<RowSparse<Scalar>> sparse_grad;
  };
  std::vector<Saved> saved_;
};

template <class Scalar>
void run_backward_with(const std::shared_ptr<Node<Scalar>>& root, const Array<Scalar>& seed, bool retain_graph,
                       PassScratch<Scalar>& scratch) {
  order_interior_nodes_for_backward(root, scratch);
  const auto& order = scratch.order;
  std::optional<LeafGradients<Scalar>> leaves_before;
  if (is_anomaly_enabled()) [[unlikely]]
    leaves_before.emplace(order);
  detail::PendingLeafHooks<Scalar> hooks(order, root);
  root->accumulate_grad(seed);
  hooks.seeded();
  // Interior gradients are scratch: dropped after use so the next backward
  // starts clean, and all of them dropped if a backward closure throws.
  auto drop_grad = [](Node<Scalar>& node) {
    node.grad = Array<Scalar>();
    node.has_grad = false;
    node.sparse_grad.reset();
  };
  for (std::size_t i = 0; i < order.size(); ++i) {
    Node<Scalar>& node = *order[i];
    try {
      if (node.has_grad || node.sparse_grad) {
        // Ops' backward closures read a dense gradient.
        node.densify_grad();
        node.backward(node);
        if (is_anomaly_enabled()) [[unlikely]]
          check_backward_anomaly(node);
      }
      hooks.ran(node);
    } catch (...) {
      for (std::size_t j = i; j < order.size(); ++j) drop_grad(*order[j]);
      if (leaves_before) leaves_before->restore();
      throw;
    }
    drop_grad(node);
    if (!retain_graph) {
      node.backward = nullptr;
      node.inputs.clear();
      node.graph_freed = true;
    }
  }
}

template <class Scalar>
void run_backward(const std::shared_ptr<Node<Scalar>>& root, const Array<Scalar>& seed, bool retain_graph) {
  thread_local PassScratch<Scalar> kept;
  PassScratch<Scalar> own;
  PassScratch<Scalar>& scratch = kept.in_use ? own : kept;
  scratch.in_use = true;
  // Emptied on every exit: the order holds the graph's nodes alive.
  struct Release {
    PassScratch<Scalar>& scratch;
    ~Release() {
      scratch.clear();
      scratch.in_use = false;
    }
  } release{scratch};
  run_backward_with(root, seed, retain_graph, scratch);
}

}  // namespace
}  // namespace autograd

template <class Scalar>
void BasicTensor<Scalar>::backward(const array_type& gradient, bool retain_graph) const {
  node_type& n = checked_node("backward");
  if (!n.requires_grad)
    throw GraphError(std::string("backward: the tensor (from op '") + n.op +
                     "') does not require grad: none of its inputs has requires_grad set");
  if (!shapes_equal(gradient.shape(), n.value.shape()))
    throw ShapeError("backward: the gradient has shape " + shape_to_string(gradient.shape()) +
                     " but the tensor has shape " + shape_to_string(n.value.shape()));
  autograd::run_backward(node_, gradient, retain_graph);
}

template <class Scalar>
void BasicTensor<Scalar>::backward(bool retain_graph) const {
  node_type& n = checked_node("backward");
  if (n.value.size() != 1)
    throw GraphError("backward: a gradient can be implied only for a one-element output, but the tensor has shape " +
                     shape_to_string(n.value.shape()) + "; pass a gradient of that shape: t.backward(gradient)");
  array_type seed = array_type::from_shape(n.value.shape());
  seed.fill(Scalar(1));
  backward(seed, retain_graph);
}

template void BasicTensor<float>::backward(const array_type&, bool) const;
template void BasicTensor<double>::backward(const array_type&, bool) const;
template void BasicTensor<float>::backward(bool) const;
template void BasicTensor<double>::backward(bool) const;

namespace autograd {
long live_nodes() { return detail::live_node_count.load(); }
}  // namespace autograd

}  // namespace xg
