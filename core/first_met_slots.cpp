// One pass over the entries, as a hand-written loop finds a batch's words: a
// table entry per possible value holds the call that last met the value and
// the slot it was given then, so a value is new when its entry is older than
// this call. The table is kept per thread and never cleared (only when the
// 32-bit call count wraps): a call costs its entries, never a pass over the
// vocabulary. No branch, since a new value is as likely as not. The values
// stay in the order they were met: sorting them was a fifth of a sparse
// training step, and no update needs it.

#include <xgrad/core/detail/first_met_slots.hpp>

#include <algorithm>
#include <cstdint>
#include <limits>
#include <stdexcept>
#include <string>
#include <vector>

namespace xg::detail {

std::size_t first_met_slots(const char* op, std::span<const std::size_t> indices, std::size_t limit,
                            std::size_t* distinct, std::size_t* slot) {
  if (limit > std::numeric_limits<std::uint32_t>::max())
    throw std::invalid_argument(std::string(op) + ": " + std::to_string(limit) +
                                " rows of the weight; at most 2^32 - 1 are supported");
  thread_local std::vector<std::uint64_t> last_met;
  thread_local std::uint32_t calls = 0;
  if (last_met.size() < limit) last_met.resize(limit, 0);
  if (++calls == 0) {
    std::fill(last_met.begin(), last_met.end(), 0);
    calls = 1;
  }
  // A raw pointer and locals: through the thread_local vector, every store
  // made the compiler load its address again.
  std::uint64_t* const entries = last_met.data();
  const std::uint32_t call = calls;
  const std::uint64_t this_call = std::uint64_t{call} << 32;
  std::size_t count = 0;
  for (std::size_t k = 0; k < indices.size(); ++k) {
    const std::size_t value = indices[k];
    const std::uint64_t entry = entries[value];
    const bool fresh = (entry >> 32) != call;
    // entry, or this call with the next slot when the value is new, by a mask.
    const std::uint64_t now = entry ^ ((entry ^ (this_call | count)) & (std::uint64_t{0} - fresh));
    entries[value] = now;
    distinct[count] = value;
    count += fresh;
    slot[k] = static_cast<std::uint32_t>(now);
  }
  return count;
}

}  // namespace xg::detail
