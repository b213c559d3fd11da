// binary_cross_entropy_with_logits's weight and pos_weight, as torch's: the
// values against the definition -w [p t log sigmoid(x) + (1 - t) log(1 - sigmoid(x))]
// evaluated here directly, the limits for large |x| worked out by hand,
// float64 gradchecks with broadcast factors, and the shape errors.

#include <doctest/doctest.h>

#include <cmath>
#include <vector>
#include <xgrad/xgrad.hpp>

#include "exception_message.hpp"

namespace {

namespace F = xg::nn::functional;
using xg::nn::Reduction;
using xg::testing::message_of;

double sigmoid(double x) { return 1 / (1 + std::exp(-x)); }

}  // namespace

TEST_CASE("binary_cross_entropy_with_logits: weight and pos_weight follow the definition, broadcast as in torch") {
  // Logits (2, 3), a weight per row (2, 1), a pos_weight per class (3).
  const std::vector<double> x = {-2.0, 0.5, 3.0, 1.5, -0.25, -4.0};
  const std::vector<double> t = {1.0, 0.0, 0.7, 0.2, 1.0, 0.0};
  const std::vector<double> row_weight = {0.5, 2.0}, class_weight = {3.0, 0.25, 1.5};
  const auto logits = xg::tensor<double>({{x[0], x[1], x[2]}, {x[3], x[4], x[5]}}, true);
  const auto targets = xg::tensor<double>({{t[0], t[1], t[2]}, {t[3], t[4], t[5]}});
  const auto weight = xg::reshape(xg::tensor<double>({row_weight[0], row_weight[1]}), {2, 1});
  const auto pos_weight = xg::tensor<double>({class_weight[0], class_weight[1], class_weight[2]});
  const auto loss = F::binary_cross_entropy_with_logits(
      logits, targets, {.reduction = Reduction::none, .weight = weight, .pos_weight = pos_weight});
  REQUIRE(xg::shape_to_string(loss.shape()) == "(2, 3)");
  double total = 0;
  for (std::size_t i = 0; i < 6; ++i) {
    const double w = row_weight[i / 3], p = class_weight[i % 3], s = sigmoid(x[i]);
    const double expected = -w * (p * t[i] * std::log(s) + (1 - t[i]) * std::log(1 - s));
    CHECK(loss.value().data()[i] == doctest::Approx(expected).epsilon(1e-12));
    total += expected;
  }
  const auto mean = F::binary_cross_entropy_with_logits(logits, targets, {.weight = weight, .pos_weight = pos_weight});
  CHECK(mean.item() == doctest::Approx(total / 6).epsilon(1e-12));
  // Only pos_weight: the negative terms keep their factor 1.
  const auto only_positive =
      F::binary_cross_entropy_with_logits(logits, targets, {.reduction = Reduction::sum, .pos_weight = pos_weight});
  double positive_total = 0;
  for (std::size_t i = 0; i < 6; ++i)
    positive_total -= class_weight[i % 3] * t[i] * std::log(sigmoid(x[i])) + (1 - t[i]) * std::log(1 - sigmoid(x[i]));
  CHECK(only_positive.item() == doctest::Approx(positive_total).epsilon(1e-12));
  // d/dx of the definition: w [(p t + 1 - t) sigmoid(x) - p t], divided by 6 for the mean.
  mean.backward();
  for (std::size_t i = 0; i < 6; ++i) {
    const double w = row_weight[i / 3], p = class_weight[i % 3];
    CHECK(logits.grad().data()[i] ==
          doctest::Approx(w * ((p * t[i] + 1 - t[i]) * sigmoid(x[i]) - p * t[i]) / 6).epsilon(1e-12));
  }
}

TEST_CASE("binary_cross_entropy_with_logits: finite with pos_weight at |x| = 800, where sigmoid saturates") {
  // t = 0.3, p = 2. At x = 800: log sigmoid(x) = -log(1 + e^-800) = 0 and
  // log(1 - sigmoid(x)) = -800 - log(1 + e^-800) = -800, so the loss is 0.7 * 800 = 560
  // and d/dx = (p t + 1 - t) - p t = 0.7. At x = -800: log sigmoid(x) = -800 and
  // log(1 - sigmoid(x)) = 0: the loss is 2 * 0.3 * 800 = 480 and d/dx = -p t = -0.6.
  for (const double x : {800.0, -800.0}) {
    CAPTURE(x);
    const auto logits = xg::tensor<double>({x}, true);
    const auto loss = F::binary_cross_entropy_with_logits(logits, xg::tensor<double>({0.3}),
                                                          {.pos_weight = xg::tensor<double>({2.0})});
    loss.backward();
    CHECK(loss.item() == doctest::Approx(x > 0 ? 560.0 : 480.0).epsilon(1e-14));
    CHECK(logits.grad()(0) == doctest::Approx(x > 0 ? 0.7 : -0.6).epsilon(1e-14));
  }
  const auto big = xg::tensor({1e4f, -1e4f}, true);
  const auto loss = F::binary_cross_entropy_with_logits(
      big, xg::tensor({0.0f, 1.0f}),
      {.reduction = Reduction::none, .weight = xg::tensor({2.0f}), .pos_weight = xg::tensor({3.0f})});
  // x = 1e4, t = 0: 2 * 1e4; x = -1e4, t = 1: 2 * 3 * 1e4.
  CHECK(loss.value() == xg::Array<float>{2e4f, 6e4f});
}

TEST_CASE("binary_cross_entropy_with_logits: gradcheck in float64 with weight and pos_weight, every reduction") {
  xg::Generator g(19);
  const auto x = xg::randn<double>({3, 4}, true, g);
  const auto t = xg::rand<double>({3, 4}, true, g);
  const auto weight = xg::rand<double>({3, 1}, false, g);
  const auto pos_weight = xg::uniform<double>({4}, 0.5, 3.0, false, g);
  for (Reduction r : {Reduction::none, Reduction::mean, Reduction::sum}) {
    const auto result = xg::autograd::gradcheck(
        [&](const auto& in) {
          return F::binary_cross_entropy_with_logits(in[0], in[1],
                                                     {.reduction = r, .weight = weight, .pos_weight = pos_weight});
        },
        {x, t});
    CHECK_MESSAGE(result.passed, result.message);
  }
}

TEST_CASE(
    "binary_cross_entropy_with_logits: a weight or pos_weight that does not broadcast is refused, naming both shapes") {
  const auto x = xg::zeros<double>({3, 2}, true);
  const auto t = xg::zeros<double>({3, 2});
  CHECK(message_of<xg::ShapeError>(
            [&] { F::binary_cross_entropy_with_logits(x, t, {.pos_weight = xg::ones<double>({3})}); }) ==
        "binary_cross_entropy_with_logits: pos_weight of shape (3,) does not broadcast to the logits' shape (3, 2)");
  CHECK(message_of<xg::ShapeError>([&] {
          F::binary_cross_entropy_with_logits(x, t, {.weight = xg::ones<double>({2, 3, 2})});
        }) ==
        "binary_cross_entropy_with_logits: weight of shape (2, 3, 2) does not broadcast to the logits' shape (3, 2)");
  CHECK_FALSE(x.has_grad());
  const xg::nn::BCEWithLogitsLoss loss({.pos_weight = xg::tensor({2.0f})});
  // One positive at x = 0: 2 log 2.
  CHECK(loss(xg::zeros({1}), xg::ones({1})).item() == doctest::Approx(2 * std::log(2.0)).epsilon(1e-6));
}
