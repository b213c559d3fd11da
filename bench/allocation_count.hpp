#pragma once
// Heap allocations made by this process so far: every operator new and every
// posix_memalign (xtensor's aligned containers allocate through it, not
// through operator new). Counted by replacements linked into bench_compare
// only; the library itself is untouched.

#include <cstddef>

namespace bench {

std::size_t allocations_so_far();

}  // namespace bench
