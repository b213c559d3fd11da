#pragma once
// The position of a named piece of state among an optimizer's `state_names`
// (or `scalar_state`), found at compile time, so an update says
// `state.buffer(state_slot(state_names, "exp_avg"), param)` where it would
// otherwise say buffer 0: a misspelt name does not compile, and reordering
// state_names cannot silently swap two buffers.

#include <array>
#include <cstddef>
#include <string_view>

namespace xg::optim {

template <class Entry, std::size_t N>
consteval std::size_t state_slot(const std::array<Entry, N>& names, std::string_view name) {
  for (std::size_t k = 0; k < N; ++k) {
    std::string_view entry;
    if constexpr (requires { names[k].name; })
      entry = names[k].name;
    else
      entry = names[k];
    if (entry == name) return k;
  }
  // Reached only for a name it does not hold: not a constant expression, so a compile error.
  throw "state_slot: no state of that name";
}

}  // namespace xg::optim
