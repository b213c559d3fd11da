#pragma once
// A hook that runs once a leaf's gradient is final in a backward pass, as
// torch.Tensor.register_post_accumulate_grad_hook: it receives the leaf
// itself, whose grad() (or sparse gradient) then holds everything this pass
// adds to it. Data-parallel training uses it to start exchanging a bucket of
// gradients while backward is still computing the others.
//
//   auto handle = xg::autograd::register_post_accumulate_grad_hook(
//       w, [](const xg::Tensor& leaf) { ... leaf.grad() ... });
//   loss.backward();  // the hook runs once, as soon as w's gradient is complete
//   handle.remove();
//
// A hook runs on the thread that calls backward, once per backward that
// reaches its leaf, after the last op that feeds the leaf ran its backward
// (so in backward order: a leaf nearer the loss comes first). Hooks of one
// leaf run in the order they were registered. A hook that throws ends the
// backward as a throwing op does.

#include <functional>
#include <memory>
#include <unordered_map>
#include <utility>
#include <vector>

#include <xgrad/core/tensor.hpp>

namespace xg::autograd {

template <class Scalar>
using PostAccumulateGradHook = std::function<void(const BasicTensor<Scalar>&)>;

// Unregisters its hook on remove() (again: nothing happens). Dropping the
// handle keeps the hook, as PyTorch's RemovableHandle does; the hook goes
// with its leaf.
class RemovableHandle {
 public:
  RemovableHandle() = default;
  explicit RemovableHandle(std::function<void()> remove) : remove_(std::move(remove)) {}
  void remove() {
    if (remove_) std::exchange(remove_, nullptr)();
  }

 private:
  std::function<void()> remove_;
};

// Throws std::invalid_argument for a tensor that is not a leaf, or does not
// require grad (no gradient would ever reach it), or an empty hook.
template <class Scalar>
RemovableHandle register_post_accumulate_grad_hook(const BasicTensor<Scalar>& leaf,
                                                   PostAccumulateGradHook<Scalar> hook);

}  // namespace xg::autograd

namespace xg::detail {

// One backward pass's leaves that have hooks, and how many of the pass's
// nodes still have to send them a gradient: the engine calls ran(node)
// after each node's backward (run or skipped for want of a gradient), and a
// leaf's hooks run when its count reaches zero.
template <class Scalar>
class PendingLeafHooks {
 public:
  // Empty, and free, when no hook of this scalar type is registered.
  PendingLeafHooks(const std::vector<std::shared_ptr<Node<Scalar>>>& order, const std::shared_ptr<Node<Scalar>>& root);
  // The root itself is a leaf: its gradient is the seed, final at once.
  void seeded();
  void ran(const Node<Scalar>& node);

 private:
  struct Leaf {
    std::shared_ptr<Node<Scalar>> node;
    std::vector<autograd::PostAccumulateGradHook<Scalar>> hooks;
    std::size_t pending = 0;
  };
  void run(Leaf& leaf);

  std::vector<Leaf> leaves_;
  std::unordered_map<const Node<Scalar>*, std::size_t> index_;  // into leaves_
};

extern template class PendingLeafHooks<float>;
extern template class PendingLeafHooks<double>;

}  // namespace xg::detail

namespace xg::autograd {

extern template RemovableHandle register_post_accumulate_grad_hook(const Tensor&, PostAccumulateGradHook<float>);
extern template RemovableHandle register_post_accumulate_grad_hook(const Tensor64&, PostAccumulateGradHook<double>);

}  // namespace xg::autograd
