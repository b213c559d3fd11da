#pragma once
// Seeded shuffles, drawn from an xg::Generator so that a seed gives the
// same order with every compiler and standard library.

#include <cstddef>
#include <span>

#include <xgrad/core/generator.hpp>

namespace xg::datasets {

// Fisher-Yates shuffle in place.
void shuffle(std::span<std::size_t> values, Generator& generator);

}  // namespace xg::datasets
