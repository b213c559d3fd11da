#pragma once
// The items of `t.index({...})` and `t.index_put_({...}, v)`, as LibTorch's
// torch::indexing: `t.index({Slice(0, 3), 1})` is Python's `t[0:3, 1]`,
// `t.index({Ellipsis, NewAxis})` is `t[..., None]`.

#include <concepts>
#include <optional>

namespace xg {

// A missing bound or step of a Slice; as an index item, a new axis (as in LibTorch).
inline constexpr std::nullopt_t None = std::nullopt;

// start:stop:step with Python's rules: negative bounds count from the end,
// bounds past either end are clamped, a missing start/stop means the whole
// axis and a missing step 1. The step must be positive (as in PyTorch).
struct Slice {
  // A constructor rather than an aggregate: Slice(0, 3) as LibTorch writes
  // it needs C++20's parenthesised aggregate initialisation otherwise, which
  // clang has only from version 16.
  Slice(std::optional<long> start_ = std::nullopt, std::optional<long> stop_ = std::nullopt,
        std::optional<long> step_ = std::nullopt)
      : start(start_), stop(stop_), step(step_) {}
  std::optional<long> start;
  std::optional<long> stop;
  std::optional<long> step;
};

struct EllipsisIndex {};
inline constexpr EllipsisIndex Ellipsis{};  // as many whole axes as the other items leave
struct NewAxisIndex {};
inline constexpr NewAxisIndex NewAxis{};  // inserts an axis of size 1

class TensorIndex {
 public:
  enum class Kind { integer, slice, ellipsis, new_axis };

  template <std::integral I>
  requires(!std::same_as<I, bool>) TensorIndex(I i) : kind_(Kind::integer), integer_(static_cast<long>(i)) {}
  TensorIndex(Slice s) : kind_(Kind::slice), slice_(s) {}
  TensorIndex(EllipsisIndex) : kind_(Kind::ellipsis) {}
  TensorIndex(NewAxisIndex) : kind_(Kind::new_axis) {}
  TensorIndex(std::nullopt_t) : kind_(Kind::new_axis) {}

  Kind kind() const { return kind_; }
  long integer() const { return integer_; }
  const Slice& slice() const { return slice_; }

 private:
  Kind kind_;
  long integer_ = 0;
  Slice slice_;
};

}  // namespace xg
