// l1_loss, huber_loss, smooth_l1_loss, kl_div and binary_cross_entropy:
// values against the formulas worked out in each case, every reduction,
// float64 gradchecks in both arguments, and the errors.

#include <doctest/doctest.h>

#include <cmath>
#include <xgrad/xgrad.hpp>

#include "exception_message.hpp"

namespace {

namespace F = xg::nn::functional;
using xg::nn::Reduction;
using xg::testing::contains;
using xg::testing::message_of;

xg::Tensor64 leaf(xg::Array<double> values) { return xg::Tensor64(std::move(values), true); }

// The loss of every reduction gradchecked in float64 in input and target.
template <class Loss>
void check_gradients(Loss loss, const xg::Tensor64& input, const xg::Tensor64& target) {
  for (const auto reduction : {Reduction::none, Reduction::mean, Reduction::sum}) {
    CAPTURE(static_cast<int>(reduction));
    const auto r =
        xg::autograd::gradcheck([&](const auto& in) { return loss(in[0], in[1], reduction); }, {input, target});
    CHECK_MESSAGE(r, r.message);
  }
}

}  // namespace

TEST_CASE("losses: l1_loss is |input - target| under each reduction") {
  const auto input = xg::tensor({1.0f, -2.0f, 3.5f}), target = xg::tensor({0.0f, 1.0f, 3.5f});
  // |1| + |-3| + |0| = 4
  CHECK(F::l1_loss(input, target, {.reduction = Reduction::sum}).item() == 4.0f);
  CHECK(F::l1_loss(input, target).item() == doctest::Approx(4.0 / 3.0));
  CHECK(F::l1_loss(input, target, {.reduction = Reduction::none}).value() == xg::Array<float>{1.0f, 3.0f, 0.0f});
  CHECK(xg::nn::L1Loss({.reduction = Reduction::sum})(input, target).item() == 4.0f);

  check_gradients([](const auto& a, const auto& b, Reduction r) { return F::l1_loss(a, b, {.reduction = r}); },
                  leaf({{0.3, -1.2}, {2.0, 0.7}}), leaf({{-0.4, 0.1}, {1.1, 1.5}}));
}

TEST_CASE("losses: huber_loss is quadratic inside delta and linear outside, smooth_l1_loss is it over beta") {
  const auto input = xg::tensor({0.5f, 3.0f, -2.0f}), target = xg::zeros<float>({3});
  // delta = 1: 0.5 * 0.5^2 = 0.125; 1 * (3 - 0.5) = 2.5; 1 * (2 - 0.5) = 1.5
  CHECK(F::huber_loss(input, target, {.reduction = Reduction::none}).value() == xg::Array<float>{0.125f, 2.5f, 1.5f});
  // delta = 2: 0.125; 2 * (3 - 1) = 4; |-2| is not below 2: 2 * (2 - 1) = 2 (= 0.5 * 2^2, continuous)
  CHECK(F::huber_loss(input, target, {.reduction = Reduction::sum, .delta = 2.0}).item() == 6.125f);
  CHECK(F::huber_loss(input, target, {.delta = 2.0}).item() == doctest::Approx(6.125 / 3.0));
  // beta = 2: 0.5 * 0.25 / 2 = 0.0625; 3 - 1 = 2; 2 - 1 = 1
  CHECK(F::smooth_l1_loss(input, target, {.reduction = Reduction::none, .beta = 2.0}).value() ==
        xg::Array<float>{0.0625f, 2.0f, 1.0f});
  // beta = 1 (the default): 0.125, 2.5, 1.5, the same as huber with delta 1
  CHECK(F::smooth_l1_loss(input, target, {.reduction = Reduction::sum}).item() == 4.125f);
  // beta = 0 is l1_loss: 0.5 + 3 + 2
  CHECK(F::smooth_l1_loss(input, target, {.reduction = Reduction::sum, .beta = 0.0}).item() == 5.5f);
  CHECK(xg::nn::HuberLoss({.delta = 2.0})(input, target).item() == doctest::Approx(6.125 / 3.0));
  CHECK(xg::nn::SmoothL1Loss({.beta = 2.0})(input, target).item() == doctest::Approx(3.0625 / 3.0));

  // Points away from the kinks at |d| = delta (and beta): 0.3 and 2.5 against delta 1.5.
  const auto a = leaf({0.3, 2.5, -1.0, -3.0}), b = leaf({0.0, 0.0, 0.2, 0.1});
  check_gradients(
      [](const auto& x, const auto& y, Reduction r) { return F::huber_loss(x, y, {.reduction = r, .delta = 1.5}); }, a,
      b);
  check_gradients(
      [](const auto& x, const auto& y, Reduction r) { return F::smooth_l1_loss(x, y, {.reduction = r, .beta = 1.5}); },
      a, b);
}

TEST_CASE("losses: kl_div is sum p log(p / q) per row, with batchmean the divergence per sample") {
  // Row 0: p = (0.2, 0.8, 0) against q = (0.5, 0.25, 0.25): 0.2 log 0.4 + 0.8 log 3.2 (+ 0 where p = 0).
  // Row 1: p = (1/3, 1/3, 1/3) against the same q: (log(2/3) + 2 log(4/3)) / 3.
  const double third = 1.0 / 3.0;
  const double row0 = 0.2 * std::log(0.4) + 0.8 * std::log(3.2);
  const double row1 = third * (std::log(2.0 / 3.0) + 2.0 * std::log(4.0 / 3.0));
  const auto log_q = xg::tensor<double>(
      {{std::log(0.5), std::log(0.25), std::log(0.25)}, {std::log(0.5), std::log(0.25), std::log(0.25)}});
  const auto p = xg::tensor<double>({{0.2, 0.8, 0.0}, {third, third, third}});
  CHECK(F::kl_div(log_q, p, {.reduction = Reduction::sum}).item() == doctest::Approx(row0 + row1).epsilon(1e-14));
  CHECK(F::kl_div(log_q, p, {.reduction = Reduction::batchmean}).item() ==
        doctest::Approx((row0 + row1) / 2.0).epsilon(1e-14));
  CHECK(F::kl_div(log_q, p).item() == doctest::Approx((row0 + row1) / 6.0).epsilon(1e-14));
  const auto none = F::kl_div(log_q, p, {.reduction = Reduction::none});
  CHECK(none.value()(0, 2) == 0.0);
  CHECK(none.value()(0, 1) == doctest::Approx(0.8 * std::log(3.2)).epsilon(1e-14));

  // log_target: the same divergence from log p (every p positive here).
  const auto p2 = xg::tensor<double>({{0.2, 0.7, 0.1}, {third, third, third}});
  const double row0b = 0.2 * std::log(0.4) + 0.7 * std::log(2.8) + 0.1 * std::log(0.4);
  CHECK(F::kl_div(log_q, xg::log(p2), {.reduction = Reduction::batchmean, .log_target = true}).item() ==
        doctest::Approx((row0b + row1) / 2.0).epsilon(1e-14));
  CHECK(xg::nn::KLDivLoss({.reduction = Reduction::batchmean})(xg::Tensor(xg::Array<float>(log_q.value())),
                                                               xg::Tensor(xg::Array<float>(p2.value())))
            .item() == doctest::Approx((row0b + row1) / 2.0).epsilon(1e-6));

  const auto x = leaf({{-1.2, -0.7, -1.9}, {-0.3, -2.2, -1.1}});
  const auto t = leaf({{0.2, 0.5, 0.3}, {0.6, 0.1, 0.3}});
  check_gradients([](const auto& a, const auto& b, Reduction r) { return F::kl_div(a, b, {.reduction = r}); }, x, t);
  check_gradients(
      [](const auto& a, const auto& b, Reduction r) { return F::kl_div(a, b, {.reduction = r, .log_target = true}); },
      x, leaf({{-1.6, -0.7, -1.2}, {-0.5, -2.3, -1.2}}));
  for (const bool log_target : {false, true}) {
    const auto r = xg::autograd::gradcheck(
        [&](const auto& in) {
          return F::kl_div(in[0], in[1], {.reduction = Reduction::batchmean, .log_target = log_target});
        },
        {x, log_target ? leaf({{-1.6, -0.7, -1.2}, {-0.5, -2.3, -1.2}}) : t});
    CHECK_MESSAGE(r, r.message);
  }
}

TEST_CASE("losses: binary_cross_entropy on probabilities, logs clamped at -100, with a weight") {
  const auto p = xg::tensor<double>({0.9, 0.2, 0.0, 1.0, 0.0, 1.0});
  const auto t = xg::tensor<double>({1.0, 0.0, 0.0, 1.0, 1.0, 0.0});
  // -log 0.9, -log 0.8, then 0 for the two certain right answers and 100
  // (the clamp of -log 0) for the two certain wrong ones.
  const auto none = F::binary_cross_entropy(p, t, {.reduction = Reduction::none});
  CHECK(none.value()(0) == doctest::Approx(-std::log(0.9)).epsilon(1e-15));
  CHECK(none.value()(1) == doctest::Approx(-std::log(0.8)).epsilon(1e-15));
  CHECK(none.value()(2) == 0.0);
  CHECK(none.value()(3) == 0.0);
  CHECK(none.value()(4) == 100.0);
  CHECK(none.value()(5) == 100.0);
  const double total = -std::log(0.9) - std::log(0.8) + 200.0;
  CHECK(F::binary_cross_entropy(p, t).item() == doctest::Approx(total / 6.0).epsilon(1e-15));
  // A weight of shape (2, 1) broadcast over (2, 3): rows weighted 2 and 0.5.
  const auto p2 = xg::reshape(p, {2, 3}), t2 = xg::reshape(t, {2, 3});
  const auto w = xg::reshape(xg::tensor<double>({2.0, 0.5}), {2, 1});
  CHECK(F::binary_cross_entropy(p2, t2, {.reduction = Reduction::sum, .weight = w}).item() ==
        doctest::Approx(2.0 * (-std::log(0.9) - std::log(0.8)) + 0.5 * 200.0).epsilon(1e-15));

  // Against the logits version on sigmoid(x), an independent formula.
  const auto x = xg::tensor<double>({{-2.0, 0.3, 1.7}, {0.0, -0.6, 4.0}});
  const auto y = xg::tensor<double>({{0.0, 1.0, 1.0}, {0.5, 0.0, 1.0}});
  CHECK(F::binary_cross_entropy(xg::sigmoid(x), y).item() ==
        doctest::Approx(F::binary_cross_entropy_with_logits(x, y).item()).epsilon(1e-14));
  CHECK(xg::nn::BCELoss()(xg::Tensor(xg::Array<float>(xg::sigmoid(x).value())), xg::Tensor(xg::Array<float>(y.value())))
            .item() == doctest::Approx(F::binary_cross_entropy_with_logits(x, y).item()).epsilon(1e-6));

  check_gradients(
      [](const auto& a, const auto& b, Reduction r) { return F::binary_cross_entropy(a, b, {.reduction = r}); },
      leaf({{0.1, 0.45}, {0.8, 0.6}}), leaf({{0.0, 1.0}, {0.3, 1.0}}));
  const auto weight = xg::tensor<double>({1.5, 0.25});
  check_gradients([&](const auto& a, const auto& b,
                      Reduction r) { return F::binary_cross_entropy(a, b, {.reduction = r, .weight = weight}); },
                  leaf({{0.1, 0.45}, {0.8, 0.6}}), leaf({{0.0, 1.0}, {0.3, 1.0}}));
}

TEST_CASE("losses: the new losses name themselves, the shapes and the bad option") {
  const auto a = xg::zeros<float>({2, 3}), b = xg::zeros<float>({3});
  CHECK(message_of<xg::ShapeError>([&] { F::l1_loss(a, b); }) ==
        "l1_loss: input of shape (2, 3) and target of shape (3,) differ");
  CHECK(message_of<xg::ShapeError>([&] { F::huber_loss(a, b); }) ==
        "huber_loss: input of shape (2, 3) and target of shape (3,) differ");
  CHECK(message_of<xg::ShapeError>([&] { F::smooth_l1_loss(a, b); }) ==
        "smooth_l1_loss: input of shape (2, 3) and target of shape (3,) differ");
  CHECK(message_of<xg::ShapeError>([&] { F::kl_div(a, b); }) ==
        "kl_div: input of shape (2, 3) and target of shape (3,) differ");
  CHECK(message_of<xg::ShapeError>([&] { F::binary_cross_entropy(a, b); }) ==
        "binary_cross_entropy: input of shape (2, 3) and target of shape (3,) differ");
  CHECK(message_of<std::invalid_argument>([&] { F::huber_loss(a, a, {.delta = 0.0}); }) ==
        "huber_loss: delta must be positive and finite, got 0");
  CHECK(message_of<std::invalid_argument>([&] { F::smooth_l1_loss(a, a, {.beta = -1.0}); }) ==
        "smooth_l1_loss: beta must be non-negative and finite, got -1");
  CHECK(message_of<std::invalid_argument>([&] { F::mse_loss(a, a, {.reduction = Reduction::batchmean}); }) ==
        "mse_loss: Reduction::batchmean is kl_div's; use Reduction::mean, ::sum or ::none");
  CHECK(message_of<std::invalid_argument>([&] { F::l1_loss(a, a, {.reduction = Reduction::batchmean}); }) ==
        "l1_loss: Reduction::batchmean is kl_div's; use Reduction::mean, ::sum or ::none");
  CHECK(message_of<xg::ShapeError>([&] {
          F::kl_div(xg::scalar_tensor(0.5f), xg::scalar_tensor(0.5f), {.reduction = Reduction::batchmean});
        }) ==
        "kl_div: Reduction::batchmean divides by the batch size, the first dimension, but the input has shape ()");
  CHECK(message_of<std::invalid_argument>([&] {
          F::binary_cross_entropy(xg::tensor({0.5f, 1.5f}), xg::tensor({0.0f, 1.0f}));
        }) ==
        "binary_cross_entropy: the input must hold probabilities in [0, 1] (for logits use "
        "binary_cross_entropy_with_logits), got 1.5 at flat index 1 of shape (2,)");
  CHECK(contains(message_of<std::invalid_argument>([&] {
                   F::binary_cross_entropy(xg::tensor({NAN, 0.5f}), xg::tensor({0.0f, 1.0f}));
                 }),
                 "got nan at flat index 0"));
  CHECK(message_of<xg::ShapeError>([&] { F::binary_cross_entropy(a, a, {.weight = xg::zeros<float>({2})}); }) ==
        "binary_cross_entropy: cannot broadcast (2,) with (2, 3)");
  CHECK(message_of<xg::ShapeError>([&] {
          F::binary_cross_entropy(b, b, {.weight = xg::zeros<float>({2, 3})});
        }) == "binary_cross_entropy: weight of shape (2, 3) does not broadcast to the input's shape (3,)");
}

TEST_CASE("metrics: binary_accuracy thresholds scores against 0/1 targets") {
  const auto targets = xg::tensor({1.0f, 1.0f, 0.0f, 0.0f});
  // 0.9 > 0.5 right, 0.4 wrong, 0.6 wrong, 0.1 right
  CHECK(xg::nn::binary_accuracy(xg::tensor({0.9f, 0.4f, 0.6f, 0.1f}), targets) == 0.5);
  // logits against 0: 2 right, -1 wrong, -3 right, 0 is not above 0: right
  CHECK(xg::nn::binary_accuracy(xg::tensor({2.0f, -1.0f, -3.0f, 0.0f}), targets, 0.0) == 0.75);
  CHECK(message_of<std::invalid_argument>([&] {
          xg::nn::binary_accuracy(xg::tensor({0.9f, 0.4f}), xg::tensor({1.0f, 0.5f}));
        }) == "binary_accuracy: target 0.5 at flat index 1 is not 0 or 1");
  CHECK(message_of<xg::ShapeError>([&] { xg::nn::binary_accuracy(xg::zeros<float>({2}), targets); }) ==
        "binary_accuracy: scores of shape (2,) and targets of shape (4,) differ");
}
