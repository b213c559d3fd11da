#include <xgrad/autograd/post_accumulate_grad_hook.hpp>

#include <atomic>
#include <cstdint>
#include <mutex>
#include <string>

#include <xgrad/autograd/grad_mode.hpp>
#include <xgrad/core/error.hpp>

namespace xg::autograd {
namespace {

constexpr const char* op = "register_post_accumulate_grad_hook";

template <class Scalar>
struct Registered {
  std::uint64_t id;
  PostAccumulateGradHook<Scalar> hook;
};

// A leaf's hooks, kept beside the graph so that nodes stay as small as they
// are. The weak pointer tells a live leaf from a dead one whose address a new
// node reuses: a dead leaf's entry is dropped, never run.
template <class Scalar>
struct Entry {
  std::weak_ptr<Node<Scalar>> node;
  std::vector<Registered<Scalar>> hooks;
};

template <class Scalar>
struct Registry {
  std::mutex mutex;
  std::unordered_map<const Node<Scalar>*, Entry<Scalar>> entries;
  // entries.size(), read without the lock by every backward so that a
  // program without hooks pays one atomic load per pass.
  std::atomic<std::size_t> size{0};
  std::uint64_t next_id = 0;
};

template <class Scalar>
Registry<Scalar>& registry() {
  static Registry<Scalar> r;
  return r;
}

template <class Scalar>
bool same_node(const std::weak_ptr<Node<Scalar>>& a, const std::weak_ptr<Node<Scalar>>& b) {
  return !a.owner_before(b) && !b.owner_before(a);
}

}  // namespace

template <class Scalar>
RemovableHandle register_post_accumulate_grad_hook(const BasicTensor<Scalar>& leaf,
                                                   PostAccumulateGradHook<Scalar> hook) {
  if (!leaf.node()) throw_invalid_argument(op, "the tensor is empty (default-constructed)");
  if (!leaf.is_leaf())
    throw_invalid_argument(op, std::string("the tensor is the output of op '") + leaf.node()->op +
                                   "', not a leaf; only leaves (parameters) accumulate a gradient");
  if (!leaf.requires_grad()) throw_invalid_argument(op, "the tensor does not require grad, so no gradient reaches it");
  if (!hook) throw_invalid_argument(op, "the hook is empty");
  Registry<Scalar>& r = registry<Scalar>();
  const std::weak_ptr<Node<Scalar>> node = leaf.node();
  std::lock_guard lock(r.mutex);
  Entry<Scalar>& entry = r.entries[leaf.node().get()];
  if (!same_node(entry.node, node)) entry = {node, {}};
  const std::uint64_t id = r.next_id++;
  entry.hooks.push_back({id, std::move(hook)});
  r.size = r.entries.size();
  return RemovableHandle([node, id] {
    Registry<Scalar>& r = registry<Scalar>();
    std::lock_guard lock(r.mutex);
    const auto it = r.entries.find(node.lock().get());
    if (node.expired() || it == r.entries.end() || !same_node(it->second.node, node)) return;
    std::erase_if(it->second.hooks, [id](const Registered<Scalar>& h) { return h.id == id; });
    if (it->second.hooks.empty()) r.entries.erase(it);
    r.size = r.entries.size();
  });
}

}  // namespace xg::autograd

namespace xg::detail {

using autograd::PostAccumulateGradHook;

template <class Scalar>
PendingLeafHooks<Scalar>::PendingLeafHooks(const std::vector<std::shared_ptr<Node<Scalar>>>& order,
                                           const std::shared_ptr<Node<Scalar>>& root) {
  autograd::Registry<Scalar>& r = autograd::registry<Scalar>();
  if (r.size.load() == 0) return;
  std::lock_guard lock(r.mutex);
  auto count = [&](const std::shared_ptr<Node<Scalar>>& node, std::size_t feeds) {
    if (!node->is_leaf() || !node->requires_grad) return;
    if (const auto known = index_.find(node.get()); known != index_.end()) {
      leaves_[known->second].pending += feeds;
      return;
    }
    const auto it = r.entries.find(node.get());
    if (it == r.entries.end()) return;
    if (it->second.node.expired()) {
      r.entries.erase(it);
      r.size = r.entries.size();
      return;
    }
    std::vector<PostAccumulateGradHook<Scalar>> hooks;
    for (const auto& h : it->second.hooks) hooks.push_back(h.hook);
    index_.emplace(node.get(), leaves_.size());
    leaves_.push_back({node, std::move(hooks), feeds});
  };
  count(root, 0);
  for (const auto& node : order)
    for (const auto& input : node->inputs) count(input, 1);
}

template <class Scalar>
void PendingLeafHooks<Scalar>::seeded() {
  for (Leaf& leaf : leaves_)
    if (leaf.pending == 0) run(leaf);
}

template <class Scalar>
void PendingLeafHooks<Scalar>::ran(const Node<Scalar>& node) {
  if (leaves_.empty()) return;
  for (const auto& input : node.inputs) {
    const auto it = index_.find(input.get());
    if (it != index_.end() && --leaves_[it->second].pending == 0) run(leaves_[it->second]);
  }
}

// As PyTorch runs them: without recording, so that a hook's arithmetic on
// its leaf (an optimizer step, say) is not part of any graph.
template <class Scalar>
void PendingLeafHooks<Scalar>::run(Leaf& leaf) {
  const BasicTensor<Scalar> tensor(leaf.node);
  no_grad guard;
  for (const auto& hook : leaf.hooks) hook(tensor);
}

template class PendingLeafHooks<float>;
template class PendingLeafHooks<double>;

}  // namespace xg::detail

namespace xg::autograd {

template RemovableHandle register_post_accumulate_grad_hook(const Tensor&, PostAccumulateGradHook<float>);
template RemovableHandle register_post_accumulate_grad_hook(const Tensor64&, PostAccumulateGradHook<double>);

}  // namespace xg::autograd
