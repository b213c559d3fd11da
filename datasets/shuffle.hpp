#pragma once
// Seeded permutations, drawn from an xg::Generator so that a seed gives the
// same order with every compiler and standard library.

#include <cstddef>
#include <span>
#include <vector>

#include <xgrad/core/generator.hpp>

namespace xg::datasets {

// Fisher-Yates shuffle in place.
void shuffle(std::span<std::size_t> values, Generator& generator);

// A random permutation of 0, 1, ..., n-1 (torch.randperm).
std::vector<std::size_t> randperm(std::size_t n, Generator& generator);

}  // namespace xg::datasets
