#pragma once
// The backward of a recorded op: a move-only callable whose captures live in a
// block of the buffer cache. std::function would take a fresh heap block for
// every closure over its 16 bytes of inline space, that is once per op per
// training step, since most closures keep an array or a shape.

#include <cstddef>
#include <new>
#include <type_traits>
#include <utility>

#include <xgrad/core/buffer_cache.hpp>

namespace xg {

template <class Argument>
class BackwardClosure {
 public:
  BackwardClosure() noexcept = default;
  BackwardClosure(std::nullptr_t) noexcept {}

  template <class F>
  requires(!std::is_same_v<std::decay_t<F>, BackwardClosure> && !std::is_same_v<std::decay_t<F>, std::nullptr_t> &&
           std::is_invocable_v<std::decay_t<F>&, Argument&>) BackwardClosure(F&& f) {
    using Held = std::decay_t<F>;
    static_assert(alignof(Held) <= 64, "the buffer cache's blocks are 64-byte aligned");
    void* block = detail::cached_allocate(sizeof(Held));
    try {
      callable_ = ::new (block) Held(std::forward<F>(f));
    } catch (...) {
      detail::cached_deallocate(block, sizeof(Held));
      throw;
    }
    static constexpr Operations operations{[](void* c, Argument& a) { (*static_cast<Held*>(c))(a); },
                                           [](void* c) noexcept {
                                             static_cast<Held*>(c)->~Held();
                                             detail::cached_deallocate(c, sizeof(Held));
                                           }};
    operations_ = &operations;
  }

  BackwardClosure(BackwardClosure&& other) noexcept
      : callable_(std::exchange(other.callable_, nullptr)), operations_(other.operations_) {}
  BackwardClosure& operator=(BackwardClosure&& other) noexcept {
    if (this != &other) {
      reset();
      callable_ = std::exchange(other.callable_, nullptr);
      operations_ = other.operations_;
    }
    return *this;
  }
  BackwardClosure& operator=(std::nullptr_t) noexcept {
    reset();
    return *this;
  }
  ~BackwardClosure() { reset(); }

  explicit operator bool() const noexcept { return callable_ != nullptr; }
  void operator()(Argument& a) const { operations_->call(callable_, a); }

 private:
  struct Operations {
    void (*call)(void*, Argument&);
    void (*destroy)(void*) noexcept;
  };

  void reset() noexcept {
    if (callable_) operations_->destroy(std::exchange(callable_, nullptr));
  }

  void* callable_ = nullptr;
  const Operations* operations_ = nullptr;
};

}  // namespace xg
