#include <xgrad/datasets/shuffle.hpp>

#include <numeric>
#include <utility>

namespace xg::datasets {

void shuffle(std::span<std::size_t> values, Generator& generator) {
  for (std::size_t i = values.size(); i > 1; --i) std::swap(values[i - 1], values[generator.randint(i)]);
}

std::vector<std::size_t> randperm(std::size_t n, Generator& generator) {
  std::vector<std::size_t> order(n);
  std::iota(order.begin(), order.end(), std::size_t{0});
  shuffle(order, generator);
  return order;
}

}  // namespace xg::datasets
