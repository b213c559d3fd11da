#include <xgrad/datasets/shuffle.hpp>

#include <utility>

namespace xg::datasets {

void shuffle(std::span<std::size_t> values, Generator& generator) {
  for (std::size_t i = values.size(); i > 1; --i) std::swap(values[i - 1], values[generator.randint(i)]);
}

}  // namespace xg::datasets
