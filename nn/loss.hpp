#pragma once
// The losses of nn/functional/loss.hpp as objects holding their options, as
// torch.nn.CrossEntropyLoss and friends: nn::CrossEntropyLoss loss({.label_smoothing = 0.1}); loss(logits, labels).

#include <cstddef>
#include <span>
#include <utility>
#include <xgrad/nn/functional/loss.hpp>

namespace xg::nn {

class CrossEntropyLoss {
 public:
  explicit CrossEntropyLoss(CrossEntropyOptions options = {}) : options(options) {}
  Tensor operator()(const Tensor& logits, std::span<const std::size_t> labels) const {
    return functional::cross_entropy(logits, labels, options);
  }
  CrossEntropyOptions options;
};

class NLLLoss {
 public:
  explicit NLLLoss(LossOptions options = {}) : options(options) {}
  Tensor operator()(const Tensor& log_probs, std::span<const std::size_t> labels) const {
    return functional::nll_loss(log_probs, labels, options);
  }
  LossOptions options;
};

class BCEWithLogitsLoss {
 public:
  explicit BCEWithLogitsLoss(BinaryCrossEntropyWithLogitsOptions<float> options = {}) : options(std::move(options)) {}
  Tensor operator()(const Tensor& logits, const Tensor& targets) const {
    return functional::binary_cross_entropy_with_logits(logits, targets, options);
  }
  BinaryCrossEntropyWithLogitsOptions<float> options;
};

class MSELoss {
 public:
  explicit MSELoss(LossOptions options = {}) : options(options) {}
  Tensor operator()(const Tensor& input, const Tensor& target) const {
    return functional::mse_loss(input, target, options);
  }
  LossOptions options;
};

class L1Loss {
 public:
  explicit L1Loss(LossOptions options = {}) : options(options) {}
  Tensor operator()(const Tensor& input, const Tensor& target) const {
    return functional::l1_loss(input, target, options);
  }
  LossOptions options;
};

class HuberLoss {
 public:
  explicit HuberLoss(HuberLossOptions options = {}) : options(options) {}
  Tensor operator()(const Tensor& input, const Tensor& target) const {
    return functional::huber_loss(input, target, options);
  }
  HuberLossOptions options;
};

class SmoothL1Loss {
 public:
  explicit SmoothL1Loss(SmoothL1LossOptions options = {}) : options(options) {}
  Tensor operator()(const Tensor& input, const Tensor& target) const {
    return functional::smooth_l1_loss(input, target, options);
  }
  SmoothL1LossOptions options;
};

class KLDivLoss {
 public:
  explicit KLDivLoss(KLDivOptions options = {}) : options(options) {}
  Tensor operator()(const Tensor& input, const Tensor& target) const {
    return functional::kl_div(input, target, options);
  }
  KLDivOptions options;
};

class BCELoss {
 public:
  explicit BCELoss(BinaryCrossEntropyOptions<float> options = {}) : options(std::move(options)) {}
  Tensor operator()(const Tensor& input, const Tensor& target) const {
    return functional::binary_cross_entropy(input, target, options);
  }
  BinaryCrossEntropyOptions<float> options;
};

}  // namespace xg::nn
