#pragma once
// Whether ops record the graph. `xg::no_grad guard;` turns recording off for
// its scope (inference, optimizer updates), like torch.no_grad().

namespace xg {

namespace detail {
inline thread_local bool grad_enabled = true;
}

inline bool is_grad_enabled() { return detail::grad_enabled; }

class no_grad {
 public:
  no_grad() : previous_(detail::grad_enabled) { detail::grad_enabled = false; }
  ~no_grad() { detail::grad_enabled = previous_; }
  no_grad(const no_grad&) = delete;
  no_grad& operator=(const no_grad&) = delete;

 private:
  bool previous_;
};

// Turns recording back on inside a no_grad scope.
class enable_grad {
 public:
  enable_grad() : previous_(detail::grad_enabled) { detail::grad_enabled = true; }
  ~enable_grad() { detail::grad_enabled = previous_; }
  enable_grad(const enable_grad&) = delete;
  enable_grad& operator=(const enable_grad&) = delete;

 private:
  bool previous_;
};

}  // namespace xg
