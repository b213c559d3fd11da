#pragma once
// What every loss does after computing one loss per sample or element:
// reduce them as asked, and, in the backward, hand each element its share of
// the output gradient.

#include <string>
#include <xgrad/core/error.hpp>
#include <xgrad/core/node.hpp>
#include <xgrad/nn/functional/loss.hpp>

namespace xg::nn::functional::detail {

// `batch_rows` is what Reduction::batchmean divides by, 0 where a loss has no
// batchmean (all but kl_div, as in PyTorch).
template <class S>
Array<S> reduce_losses(const char* op, Array<S>&& losses, Reduction reduction, std::size_t batch_rows = 0) {
  if (reduction == Reduction::none) return std::move(losses);
  if (reduction == Reduction::batchmean && batch_rows == 0)
    throw_invalid_argument(op, "Reduction::batchmean is kl_div's; use Reduction::mean, ::sum or ::none");
  const std::size_t n = losses.size();
  if (reduction == Reduction::mean && n == 0)
    throw_invalid_argument(op, "the mean over an empty batch is undefined; use Reduction::sum or ::none");
  S total = 0;
  for (std::size_t i = 0; i < n; ++i) total += losses.data()[i];
  if (reduction == Reduction::batchmean) return Array<S>(total / static_cast<S>(batch_rows));
  return Array<S>(reduction == Reduction::mean ? total / static_cast<S>(n) : total);
}

// d(output)/d(loss i) times the output's gradient, for each loss; `n` is
// what the mean divided by (the batch size for batchmean).
template <class S>
class LossGradient {
 public:
  LossGradient(const Node<S>& self, Reduction reduction, std::size_t n)
      : per_element_(reduction == Reduction::none ? self.grad.data() : nullptr),
        shared_(reduction == Reduction::mean || reduction == Reduction::batchmean
                    ? self.grad.data()[0] / static_cast<S>(n)
                : reduction == Reduction::sum ? self.grad.data()[0]
                                              : S(0)) {}
  S operator[](std::size_t i) const { return per_element_ ? per_element_[i] : shared_; }

 private:
  const S* per_element_;
  S shared_;
};

}  // namespace xg::nn::functional::detail
