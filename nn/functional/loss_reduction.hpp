#pragma once
// What every loss does after computing one loss per sample or element:
// reduce them as asked, and, in the backward, hand each element its share of
// the output gradient.

#include <string>
#include <xgrad/core/error.hpp>
#include <xgrad/core/node.hpp>
#include <xgrad/nn/functional/loss.hpp>

namespace xg::nn::functional::detail {

template <class S>
Array<S> reduce_losses(const char* op, Array<S>&& losses, Reduction reduction) {
  if (reduction == Reduction::none) return std::move(losses);
  const std::size_t n = losses.size();
  if (reduction == Reduction::mean && n == 0)
    throw_invalid_argument(op, "the mean over an empty batch is undefined; use Reduction::sum or ::none");
  S total = 0;
  for (std::size_t i = 0; i < n; ++i) total += losses.data()[i];
  return Array<S>(reduction == Reduction::mean ? total / static_cast<S>(n) : total);
}

// d(output)/d(loss i) times the output's gradient, for each of the n losses.
template <class S>
class LossGradient {
 public:
  LossGradient(const Node<S>& self, Reduction reduction, std::size_t n)
      : per_element_(reduction == Reduction::none ? self.grad.data() : nullptr),
        shared_(reduction == Reduction::mean  ? self.grad.data()[0] / static_cast<S>(n)
                : reduction == Reduction::sum ? self.grad.data()[0]
                                              : S(0)) {}
  S operator[](std::size_t i) const { return per_element_ ? per_element_[i] : shared_; }

 private:
  const S* per_element_;
  S shared_;
};

}  // namespace xg::nn::functional::detail
