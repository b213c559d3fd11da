// The losses over integer class labels: cross_entropy (fused log-softmax and
// NLL) and nll_loss.

#include <algorithm>
#include <cmath>
#include <string>
#include <type_traits>
#include <vector>
#include <xgrad/autograd/function.hpp>
#include <xgrad/nn/functional/detail/loss_reduction.hpp>
#include <xgrad/nn/functional/loss.hpp>

namespace xg::nn::functional {

namespace {

struct ClassShape {
  std::size_t rows, classes;
};

// Checks a (batch, classes) input against one label per row.
template <class S>
ClassShape check_labels(const char* op, const BasicTensor<S>& input, std::span<const std::size_t> labels) {
  if (!input.defined()) throw_invalid_argument(op, "the input is an undefined tensor");
  autograd::check_rank(op, input, 2, "input (batch, classes)");
  const ClassShape s{input.shape()[0], input.shape()[1]};
  if (labels.size() != s.rows)
    throw_shape_error(op, "got " + std::to_string(labels.size()) + " labels for an input of " + std::to_string(s.rows) +
                              " rows " + shape_to_string(input.shape()));
  for (std::size_t i = 0; i < s.rows; ++i)
    if (labels[i] >= s.classes)
      throw_invalid_argument(op, "label " + std::to_string(labels[i]) + " in row " + std::to_string(i) +
                                     " is out of range for " + std::to_string(s.classes) + " classes" +
                                     (s.classes ? " (valid: 0 to " + std::to_string(s.classes - 1) + ")" : ""));
  return s;
}

// Calls f with the number of classes as a constant when it is one of a few
// (0 otherwise): a row of 2 to 4 logits is as short as the work around it,
// and a loop of unknown length, with its vector body and scalar tail, cost a
// small batch more than its exps (W1's 3 classes).
template <class F>
void with_classes(std::size_t classes, F f) {
  switch (classes) {
    case 2: return f(std::integral_constant<std::size_t, 2>{});
    case 3: return f(std::integral_constant<std::size_t, 3>{});
    case 4: return f(std::integral_constant<std::size_t, 4>{});
    default: return f(std::integral_constant<std::size_t, 0>{});
  }
}

}  // namespace

// With p = softmax(x) and the smoothed target t = (1 - e) onehot(y) + e / C:
// loss = -sum_c t_c log p_c = (1 - e)(lse - x_y) + e (lse - mean_c x_c),
// where lse = log sum_c exp(x_c) is taken after subtracting the row's max;
// d loss / dx_c = p_c - t_c, with p_c = exp(x_c - max) / sum_c exp(x_c - max).
template <class S>
BasicTensor<S> cross_entropy(const BasicTensor<S>& logits, std::span<const std::size_t> labels,
                             CrossEntropyOptions options) {
  const double smoothing = options.label_smoothing;
  if (!(smoothing >= 0.0 && smoothing <= 1.0))
    throw_invalid_argument("cross_entropy", "label_smoothing must be in [0, 1], got " + std::to_string(smoothing));
  const ClassShape s = check_labels("cross_entropy", logits, labels);
  if (s.classes == 0)
    throw_shape_error("cross_entropy", "needs at least one class, got shape " + shape_to_string(logits.shape()));
  const S keep = static_cast<S>(1.0 - smoothing);
  const S spread = static_cast<S>(smoothing / static_cast<double>(s.classes));

  // The softmax is kept for backward, so each logit's exp is taken once.
  BufferVector<S> probabilities(s.rows * s.classes);
  auto losses = Array<S>::from_shape({s.rows});
  const S* x = logits.value().data();
  with_classes(s.classes, [&](auto fixed) {
    const std::size_t classes = fixed() ? fixed() : s.classes;
    for (std::size_t i = 0; i < s.rows; ++i) {
      const S* row = x + i * classes;
      S* p = probabilities.data() + i * classes;
      S top = row[0];
      for (std::size_t c = 1; c < classes; ++c) top = std::max(top, row[c]);
      S total = 0;
      for (std::size_t c = 0; c < classes; ++c) {
        p[c] = std::exp(row[c] - top);
        total += p[c];
      }
      const S lse = top + std::log(total);
      const S inverse_total = S(1) / total;
      for (std::size_t c = 0; c < classes; ++c) p[c] *= inverse_total;
      // A term whose weight is 0 is skipped, not multiplied: a logit of -inf
      // makes it infinite, and 0 * inf would turn a finite loss into NaN.
      S loss = 0;
      if (keep != S(0)) loss += keep * (lse - row[labels[i]]);
      if (smoothing != 0) {
        S row_sum = 0;
        for (std::size_t c = 0; c < classes; ++c) row_sum += row[c];
        loss += static_cast<S>(smoothing) * (lse - row_sum / static_cast<S>(classes));
      }
      losses(i) = loss;
    }
  });
  Array<S> out = detail::reduce_losses<S>("cross_entropy", std::move(losses), options.reduction);

  BufferVector<std::size_t> kept_labels(labels.begin(), labels.end());
  return autograd::record<S>("cross_entropy", std::move(out), {&logits},
                             [s, keep, spread, reduction = options.reduction, probabilities = std::move(probabilities),
                              labels = std::move(kept_labels)](Node<S>& self) {
                               const detail::LossGradient<S> upstream(self, reduction, s.rows);
                               auto& in = *self.inputs[0];
                               // Row by row: a flat index split by k / classes
                               // cost an integer division per element.
                               const bool fresh = !in.has_grad;
                               if (fresh) {
                                 in.grad = Array<S>::from_shape(in.value.shape());
                                 in.has_grad = true;
                               } else {
                                 in.check_grad_shape();
                               }
                               // The label's entry is redone after the row, so the
                               // loop over classes has no test in it.
                               with_classes(s.classes, [&](auto fixed) {
                                 const std::size_t classes = fixed() ? fixed() : s.classes;
                                 for (std::size_t i = 0; i < s.rows; ++i) {
                                   const S* p = probabilities.data() + i * classes;
                                   S* g = in.grad.data() + i * classes;
                                   const S u = upstream[i];
                                   const std::size_t label = labels[i];
                                   const S before = fresh ? S(0) : g[label];
                                   if (fresh)
                                     for (std::size_t c = 0; c < classes; ++c) g[c] = u * (p[c] - spread);
                                   else
                                     for (std::size_t c = 0; c < classes; ++c) g[c] += u * (p[c] - spread);
                                   const S d = u * (p[label] - (spread + keep));
                                   g[label] = fresh ? d : before + d;
                                 }
                               });
                             });
}

// d loss_i / d log_probs[i, c] = -1 where c = labels[i], else 0.
template <class S>
BasicTensor<S> nll_loss(const BasicTensor<S>& log_probs, std::span<const std::size_t> labels, LossOptions options) {
  const ClassShape s = check_labels("nll_loss", log_probs, labels);
  auto losses = Array<S>::from_shape({s.rows});
  const S* lp = log_probs.value().data();
  for (std::size_t i = 0; i < s.rows; ++i) losses(i) = -lp[i * s.classes + labels[i]];
  Array<S> out = detail::reduce_losses<S>("nll_loss", std::move(losses), options.reduction);

  BufferVector<std::size_t> kept_labels(labels.begin(), labels.end());
  return autograd::record<S>("nll_loss", std::move(out), {&log_probs},
                             [s, reduction = options.reduction, labels = std::move(kept_labels)](Node<S>& self) {
                               const detail::LossGradient<S> upstream(self, reduction, s.rows);
                               Array<S>& grad = autograd::zero_initialized_grad(*self.inputs[0]);
                               for (std::size_t i = 0; i < s.rows; ++i)
                                 grad.data()[i * s.classes + labels[i]] -= upstream[i];
                             });
}

#define XGRAD_INSTANTIATE_CLASS_LOSSES(S)                                                                          \
  template BasicTensor<S> cross_entropy(const BasicTensor<S>&, std::span<const std::size_t>, CrossEntropyOptions); \
  template BasicTensor<S> nll_loss(const BasicTensor<S>&, std::span<const std::size_t>, LossOptions);
XGRAD_INSTANTIATE_CLASS_LOSSES(float)
XGRAD_INSTANTIATE_CLASS_LOSSES(double)

}  // namespace xg::nn::functional
