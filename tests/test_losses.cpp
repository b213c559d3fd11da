#include <doctest/doctest.h>

#include <cmath>
#include <limits>
#include <string>
#include <vector>
#include <xgrad/xgrad.hpp>

#include "exception_message.hpp"

namespace {

namespace nn = xg::nn;
namespace F = xg::nn::functional;
using nn::Reduction;
using xg::autograd::gradcheck;

using xg::testing::contains;
using xg::testing::message_of;

// Both rows are (1, 2, 3): lse = 3 + log(1 + e^-1 + e^-2) = 3 + log(1.50321472) = 3.40760596,
// softmax = exp(x - lse) = (0.09003057, 0.24472847, 0.66524096).
xg::Tensor64 two_rows() { return xg::tensor<double>({{1.0, 2.0, 3.0}, {1.0, 2.0, 3.0}}, true); }
const std::vector<std::size_t> labels_2_0 = {2, 0};

const std::vector<Reduction> all_reductions = {Reduction::none, Reduction::mean, Reduction::sum};

}  // namespace

TEST_CASE("losses: cross_entropy values by hand for every reduction") {
  auto x = two_rows();
  // row 0: lse - x_2 = 0.40760596; row 1: lse - x_0 = 2.40760596
  auto none = F::cross_entropy(x, labels_2_0, {.reduction = Reduction::none});
  REQUIRE(none.shape() == xg::Tensor64::shape_type{2});
  CHECK(none.value()(0) == doctest::Approx(0.40760596));
  CHECK(none.value()(1) == doctest::Approx(2.40760596));
  CHECK(F::cross_entropy(x, labels_2_0).item() == doctest::Approx(1.40760596));
  CHECK(F::cross_entropy(x, labels_2_0, {.reduction = Reduction::sum}).item() == doctest::Approx(2.81521192));
  CHECK(F::cross_entropy(x, labels_2_0).dim() == 0);
}

TEST_CASE("losses: cross_entropy gradient is (softmax - onehot) / n") {
  auto x = two_rows();
  F::cross_entropy(x, labels_2_0).backward();
  // row 0: (0.09003057, 0.24472847, 0.66524096 - 1) / 2; row 1: (0.09003057 - 1, 0.24472847, 0.66524096) / 2
  const double expected[2][3] = {{0.04501529, 0.12236424, -0.16737952}, {-0.45498472, 0.12236424, 0.33262048}};
  for (std::size_t i = 0; i < 2; ++i)
    for (std::size_t c = 0; c < 3; ++c) CHECK(x.grad()(i, c) == doctest::Approx(expected[i][c]));
}

TEST_CASE("losses: cross_entropy label smoothing follows PyTorch's formula") {
  auto x = two_rows();
  // (1 - e)(lse - x_y) + e/C sum_c (lse - x_c) with e = 0.1, C = 3; sum_c (lse - x_c) = 3 lse - 6 = 4.22281788:
  // row 0: 0.9 * 0.40760596 + 0.1/3 * 4.22281788 = 0.36684536 + 0.14076060 = 0.50760596
  // row 1: 0.9 * 2.40760596 + 0.14076060 = 2.30760596
  auto none = F::cross_entropy(x, labels_2_0, {.reduction = Reduction::none, .label_smoothing = 0.1});
  CHECK(none.value()(0) == doctest::Approx(0.50760596));
  CHECK(none.value()(1) == doctest::Approx(2.30760596));

  // Gradient of the sum: softmax - target, target = (0.1/3, 0.1/3, 0.9 + 0.1/3) for row 0.
  F::cross_entropy(x, labels_2_0, {.reduction = Reduction::sum, .label_smoothing = 0.1}).backward();
  CHECK(x.grad()(0, 0) == doctest::Approx(0.09003057 - 0.03333333));
  CHECK(x.grad()(0, 1) == doctest::Approx(0.24472847 - 0.03333333));
  CHECK(x.grad()(0, 2) == doctest::Approx(0.66524096 - 0.93333333));

  // Full smoothing: the loss is lse - mean(x) = 1.40760596 whatever the label.
  auto uniform = F::cross_entropy(x, labels_2_0, {.reduction = Reduction::none, .label_smoothing = 1.0});
  CHECK(uniform.value()(0) == doctest::Approx(1.40760596));
  CHECK(uniform.value()(1) == doctest::Approx(1.40760596));
}

TEST_CASE("losses: cross_entropy is stable for logits of 1e4 in float32") {
  auto x = xg::tensor({{1e4f, 0.0f, -1e4f}, {1e4f, 0.0f, -1e4f}}, true);
  const std::vector<std::size_t> labels = {0, 1};
  auto loss = F::cross_entropy(x, labels, {.reduction = Reduction::none});
  // lse = 1e4 + log(1 + e^-1e4 + e^-2e4) = 1e4: losses 0 and 1e4.
  CHECK(loss.value()(0) == 0.0f);
  CHECK(loss.value()(1) == 1e4f);
  xg::sum(loss).backward();
  // softmax = (1, 0, 0): row 0 gradient 0, row 1 (1, -1, 0).
  CHECK(x.grad() == xg::Array<float>{{0, 0, 0}, {1, -1, 0}});
}

TEST_CASE("losses: cross_entropy rejects bad labels, shapes and options by name") {
  auto x = two_rows();
  const std::vector<std::size_t> bad = {2, 7};
  CHECK(contains(message_of<std::invalid_argument>([&] { F::cross_entropy(x, bad); }),
                 "cross_entropy: label 7 in row 1 is out of range for 3 classes (valid: 0 to 2)"));
  const std::vector<std::size_t> three = {0, 1, 2};
  CHECK(
      contains(message_of<xg::ShapeError>([&] { F::cross_entropy(x, three); }), "got 3 labels for an input of 2 rows"));
  CHECK_THROWS_AS(F::cross_entropy(xg::ones<double>({6}), three), xg::ShapeError);
  CHECK(contains(message_of<std::invalid_argument>([&] { F::cross_entropy(x, labels_2_0, {.label_smoothing = 1.5}); }),
                 "label_smoothing must be in [0, 1]"));
  const std::vector<std::size_t> none;
  CHECK_THROWS_AS(F::cross_entropy(xg::zeros<double>({0, 3}), none), std::invalid_argument);
  CHECK(F::cross_entropy(xg::zeros<double>({0, 3}), none, {.reduction = Reduction::sum}).item() == 0.0);
}

TEST_CASE("losses: cross_entropy gradcheck for every reduction, with and without label smoothing") {
  xg::Generator g(21);
  auto x = xg::randn<double>({4, 5}, true, g);
  const std::vector<std::size_t> labels = {0, 4, 2, 2};
  for (Reduction r : all_reductions) {
    for (double smoothing : {0.0, 0.25}) {
      CAPTURE(static_cast<int>(r));
      CAPTURE(smoothing);
      auto result = gradcheck(
          [&](const auto& in) {
            return F::cross_entropy(in[0], labels, {.reduction = r, .label_smoothing = smoothing});
          },
          {x});
      CHECK_MESSAGE(result, result.message);
    }
  }
}

TEST_CASE("losses: nll_loss picks -log_probs[i, label] and matches log_softmax + nll") {
  auto lp = xg::tensor<double>({{-0.5, -1.0, -2.0}, {-0.1, -3.0, -0.7}}, true);
  const std::vector<std::size_t> labels = {1, 2};
  CHECK(F::nll_loss(lp, labels).item() == doctest::Approx((1.0 + 0.7) / 2));
  CHECK(F::nll_loss(lp, labels, {.reduction = Reduction::sum}).item() == doctest::Approx(1.7));
  F::nll_loss(lp, labels).backward();
  CHECK(lp.grad() == xg::Array<double>{{0, -0.5, 0}, {0, 0, -0.5}});

  auto x = two_rows();
  CHECK(F::nll_loss(xg::log_softmax(x, 1), labels_2_0).item() ==
        doctest::Approx(F::cross_entropy(x, labels_2_0).item()));
  const std::vector<std::size_t> bad = {1, 3};
  CHECK(contains(message_of<std::invalid_argument>([&] { F::nll_loss(lp, bad); }), "nll_loss: label 3 in row 1"));

  xg::Generator g(5);
  auto r = xg::randn<double>({3, 4}, true, g);
  const std::vector<std::size_t> rl = {3, 0, 1};
  for (Reduction red : all_reductions) {
    auto result = gradcheck([&](const auto& in) { return F::nll_loss(in[0], rl, {.reduction = red}); }, {r});
    CHECK_MESSAGE(result, result.message);
  }
}

TEST_CASE("losses: binary_cross_entropy_with_logits by hand, stable at 1e4") {
  auto x = xg::tensor<double>({0.0, 2.0, -3.0}, true);
  auto t = xg::tensor<double>({1.0, 0.0, 1.0});
  // max(x,0) - x t + log(1 + e^-|x|): log 2 = 0.69314718; 2 + log(1 + e^-2) = 2.12692801;
  // 3 + log(1 + e^-3) = 3.04858735
  auto none = F::binary_cross_entropy_with_logits(x, t, {.reduction = Reduction::none});
  CHECK(none.value()(0) == doctest::Approx(0.69314718));
  CHECK(none.value()(1) == doctest::Approx(2.12692801));
  CHECK(none.value()(2) == doctest::Approx(3.04858735));
  F::binary_cross_entropy_with_logits(x, t).backward();
  // (sigmoid(x) - t) / 3: (0.5 - 1, 0.88079708, 0.04742587 - 1) / 3
  CHECK(x.grad()(0) == doctest::Approx(-0.16666667));
  CHECK(x.grad()(1) == doctest::Approx(0.29359903));
  CHECK(x.grad()(2) == doctest::Approx(-0.31752471));

  auto big = xg::tensor({1e4f, -1e4f}, true);
  auto loss = F::binary_cross_entropy_with_logits(big, xg::tensor({1.0f, 1.0f}), {.reduction = Reduction::none});
  CHECK(loss.value() == xg::Array<float>{0.0f, 1e4f});
  xg::sum(loss).backward();
  CHECK(big.grad() == xg::Array<float>{0.0f, -1.0f});

  CHECK_THROWS_AS(F::binary_cross_entropy_with_logits(x, xg::ones<double>({2})), xg::ShapeError);
}

TEST_CASE("losses: binary_cross_entropy_with_logits gradcheck in logits and targets") {
  xg::Generator g(8);
  auto x = xg::randn<double>({3, 2}, true, g);
  auto t = xg::rand<double>({3, 2}, true, g);
  for (Reduction r : all_reductions) {
    auto result = gradcheck(
        [&](const auto& in) { return F::binary_cross_entropy_with_logits(in[0], in[1], {.reduction = r}); }, {x, t});
    CHECK_MESSAGE(result, result.message);
  }
}

TEST_CASE("losses: mse_loss by hand and gradcheck") {
  auto a = xg::tensor<double>({1.0, 2.0, 3.0}, true);
  auto b = xg::tensor<double>({1.0, 0.0, 6.0}, true);
  // squared differences 0, 4, 9
  CHECK(F::mse_loss(a, b).item() == doctest::Approx(13.0 / 3));
  CHECK(F::mse_loss(a, b, {.reduction = Reduction::sum}).item() == 13.0);
  CHECK(F::mse_loss(a, b, {.reduction = Reduction::none}).value() == xg::Array<double>{0, 4, 9});
  F::mse_loss(a, b).backward();
  // 2 (a - b) / 3 = (0, 4/3, -2), and the negative for b
  CHECK(a.grad()(1) == doctest::Approx(4.0 / 3));
  CHECK(a.grad()(2) == doctest::Approx(-2.0));
  CHECK(b.grad()(2) == doctest::Approx(2.0));
  CHECK_THROWS_AS(F::mse_loss(a, xg::ones<double>({3, 1})), xg::ShapeError);

  xg::Generator g(2);
  auto p = xg::randn<double>({2, 3}, true, g);
  auto q = xg::randn<double>({2, 3}, true, g);
  for (Reduction r : all_reductions) {
    auto result = gradcheck([&](const auto& in) { return F::mse_loss(in[0], in[1], {.reduction = r}); }, {p, q});
    CHECK_MESSAGE(result, result.message);
  }
}

TEST_CASE("losses: loss modules hold their options and call the functional losses") {
  auto x = xg::tensor({{1.0f, 2.0f, 3.0f}, {1.0f, 2.0f, 3.0f}});
  nn::CrossEntropyLoss smoothed({.reduction = Reduction::sum, .label_smoothing = 0.1});
  CHECK(smoothed(x, labels_2_0).item() == doctest::Approx(0.50760596 + 2.30760596).epsilon(1e-5));
  CHECK(nn::CrossEntropyLoss()(x, labels_2_0).item() == doctest::Approx(1.40760596).epsilon(1e-5));
  CHECK(nn::NLLLoss()(x, labels_2_0).item() == doctest::Approx(-2.0));  // -(3 + 1) / 2
  CHECK(nn::MSELoss({.reduction = Reduction::sum})(x, xg::zeros<float>({2, 3})).item() == 28.0f);
  CHECK(nn::BCEWithLogitsLoss()(xg::zeros<float>({4}), xg::ones<float>({4})).item() ==
        doctest::Approx(std::log(2.0)).epsilon(1e-6));
}

TEST_CASE_TEMPLATE("losses: cross_entropy with a logit of -inf is finite without smoothing, +inf with it", S, float,
                   double) {
  const S inf = std::numeric_limits<S>::infinity();
  auto x = xg::tensor<S>({{0, 1, -inf}}, true);
  const std::vector<std::size_t> label_1 = {1};
  // lse = log(e^0 + e^1 + 0) = log(1 + e); loss = lse - 1 = log(1 + e^-1) = 0.31326169, as
  // nll_loss(log_softmax(x)) gives. Before the fix the smoothing term was 0 * inf = NaN.
  auto loss = F::cross_entropy(x, label_1);
  CHECK(loss.item() == doctest::Approx(0.31326169).epsilon(1e-6));
  CHECK(loss.item() == doctest::Approx(F::nll_loss(xg::log_softmax(x, 1), label_1).item()).epsilon(1e-6));
  loss.backward();
  // softmax - onehot = (1/(1+e), e/(1+e) - 1, 0) = (0.26894142, -0.26894142, 0).
  CHECK(x.grad()(0, 0) == doctest::Approx(0.26894142).epsilon(1e-6));
  CHECK(x.grad()(0, 1) == doctest::Approx(-0.26894142).epsilon(1e-6));
  CHECK(x.grad()(0, 2) == 0);
  // With smoothing the target gives class 2 (probability 0) some weight: the loss is +inf, not NaN.
  const S smoothed = F::cross_entropy(x, label_1, {.label_smoothing = 0.1}).item();
  CHECK(std::isinf(smoothed));
  CHECK(smoothed > 0);
  // Smoothing 1 leaves no weight on the label, whose term is skipped as well.
  auto y = xg::tensor<S>({{0, -inf, 1}}, true);
  CHECK(std::isinf(F::cross_entropy(y, label_1, {.label_smoothing = 1.0}).item()));
}
