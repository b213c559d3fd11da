#pragma once
// A schedule argument given once for all param groups or once per group, as
// PyTorch's "float or list" arguments: `.max_lr = 0.1` or
// `.max_lr = {0.1, 0.01}`.

#include <concepts>
#include <cstddef>
#include <initializer_list>
#include <stdexcept>
#include <string>
#include <utility>
#include <vector>

namespace xg::optim {

template <class T>
class PerGroup {
 public:
  PerGroup() = default;
  template <class U>
  requires std::convertible_to<U, T> PerGroup(U&& value) : values_{T(std::forward<U>(value))} {}
  PerGroup(std::initializer_list<T> values) : values_(values) {}
  PerGroup(std::vector<T> values) : values_(std::move(values)) {}

  bool empty() const { return values_.empty(); }

  // One value per group. `where` names the schedule and argument for the
  // message when the count is neither 1 nor num_groups ("CyclicLR: max_lr").
  std::vector<T> resolve(std::size_t num_groups, const std::string& where) const {
    if (values_.empty()) throw std::invalid_argument(where + " is required");
    if (values_.size() == 1) return std::vector<T>(num_groups, values_.front());
    if (values_.size() != num_groups)
      throw std::invalid_argument(where + " has " + std::to_string(values_.size()) + " values but the optimizer has " +
                                  std::to_string(num_groups) + " param groups");
    return values_;
  }

 private:
  std::vector<T> values_;
};

}  // namespace xg::optim
