#pragma once
// The distinct values of a list of row indices and each entry's slot among
// them: for the ops whose weight gets a row-sparse gradient (sparse_matmul,
// embedding), the rows of that gradient and where each entry's share goes;
// for check_rows_fit, whether a row list in any order repeats a row.

#include <cstddef>
#include <span>

namespace xg::detail {

// Writes the distinct values of `indices` (each below `limit`) to
// `distinct`, in the order they are first met, and for every entry k its
// slot among them to slot[k]; returns how many are distinct. Both outputs
// hold indices.size() entries. Throws std::invalid_argument when `limit`
// exceeds 2^32 - 1 (slots are kept in 32 bits).
std::size_t first_met_slots(const char* op, std::span<const std::size_t> indices, std::size_t limit,
                            std::size_t* distinct, std::size_t* slot);

}  // namespace xg::detail
