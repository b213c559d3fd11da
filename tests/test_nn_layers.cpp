#include <doctest/doctest.h>

#include <cmath>
#include <xgrad/core/reduce.hpp>
#include <xgrad/xgrad.hpp>

namespace {

namespace nn = xg::nn;
namespace F = xg::nn::functional;
using xg::autograd::gradcheck;

float max_abs(const xg::Array<float>& a) {
  float m = 0;
  for (float v : a) m = std::max(m, std::abs(v));
  return m;
}

}  // namespace

TEST_CASE("nn linear: weights and bias lie in U(-1/sqrt(in), 1/sqrt(in)) and fill it") {
  xg::Generator g(7);
  nn::Linear layer(64, 32, true, g);
  CHECK(layer.weight.shape() == xg::Tensor::shape_type{32, 64});
  CHECK(layer.bias.shape() == xg::Tensor::shape_type{32});
  const float bound = 1.0f / 8.0f;  // 1 / sqrt(64)
  CHECK(max_abs(layer.weight.value()) <= bound);
  CHECK(max_abs(layer.bias.value()) <= bound);
  // 2048 uniform draws all inside 0.9 * bound has probability 0.9^2048.
  CHECK(max_abs(layer.weight.value()) > 0.9f * bound);
  float min_w = 1, max_w = -1;
  for (float w : layer.weight.value()) {
    min_w = std::min(min_w, w);
    max_w = std::max(max_w, w);
  }
  CHECK(min_w < -0.9f * bound);
  CHECK(max_w > 0.9f * bound);
}

TEST_CASE("nn linear: initialisation is deterministic per seed, weight then bias in row-major order") {
  xg::Generator a(42), b(42), c(43);
  nn::Linear la(3, 2, true, a), lb(3, 2, true, b), lc(3, 2, true, c);
  CHECK(la.weight.value() == lb.weight.value());
  CHECK(la.bias.value() == lb.bias.value());
  CHECK(la.weight.value() != lc.weight.value());

  // The same stream drawn by hand: 6 weights, then 2 biases, each -b + 2b u.
  xg::Generator replay(42);
  const double bound = 1.0 / std::sqrt(3.0);
  for (std::size_t i = 0; i < 2; ++i)
    for (std::size_t j = 0; j < 3; ++j)
      CHECK(la.weight.value()(i, j) == doctest::Approx(replay.uniform(-bound, bound)).epsilon(1e-6));
  for (std::size_t i = 0; i < 2; ++i)
    CHECK(la.bias.value()(i) == doctest::Approx(replay.uniform(-bound, bound)).epsilon(1e-6));

  xg::manual_seed(5);
  nn::Linear d1(4, 4);
  xg::manual_seed(5);
  nn::Linear d2(4, 4);
  CHECK(d1.weight.value() == d2.weight.value());
  CHECK_THROWS_AS(nn::Linear(0, 3), std::invalid_argument);
}

TEST_CASE("nn linear: forward is x W^T + b, by hand") {
  nn::Linear layer(2, 3);
  layer.weight.value() = xg::Array<float>{{1, 2}, {3, 4}, {5, 6}};
  layer.bias.value() = xg::Array<float>{0.5f, -1, 0};
  auto y = layer(xg::tensor({{1.0f, -1.0f}, {2.0f, 0.5f}}));
  // row 0: (1-2, 3-4, 5-6) + b = (-0.5, -2, -1); row 1: (2+1, 6+2, 10+3) + b = (3.5, 7, 13)
  CHECK(y.value() == xg::Array<float>{{-0.5f, -2, -1}, {3.5f, 7, 13}});
  // Leading dimensions are batch dimensions; a 1-D input is one sample.
  auto v = layer(xg::tensor({1.0f, -1.0f}));
  CHECK(v.value() == xg::Array<float>{-0.5f, -2, -1});
  auto batched = layer(xg::ones<float>({2, 2, 2}));
  CHECK(batched.shape() == xg::Tensor::shape_type{2, 2, 3});
  CHECK(batched.value()(1, 1, 2) == 11.0f);

  CHECK_THROWS_AS(layer(xg::ones<float>({2, 3})), xg::ShapeError);
  CHECK_THROWS_AS(F::linear(xg::ones<float>({2, 2}), xg::ones<float>({3, 2}), xg::ones<float>({2})), xg::ShapeError);
}

TEST_CASE("nn linear: gradients by hand accumulate into .grad") {
  auto x = xg::tensor({{1.0, 2.0}}, true);
  auto w = xg::tensor({{3.0, 4.0}, {5.0, 6.0}}, true);
  auto b = xg::tensor({0.0, 0.0}, true);
  // sum(x W^T + b): dW[i, j] = x[j], db = 1, dx[j] = sum_i W[i, j]
  xg::sum(F::linear(x, w, b)).backward();
  CHECK(w.grad() == xg::Array<double>{{1, 2}, {1, 2}});
  CHECK(b.grad() == xg::Array<double>{1, 1});
  CHECK(x.grad() == xg::Array<double>{{8, 10}});
  xg::sum(F::linear(x, w, b)).backward();
  CHECK(w.grad() == xg::Array<double>{{2, 4}, {2, 4}});
  CHECK(b.grad() == xg::Array<double>{2, 2});
}

TEST_CASE("nn linear: gradcheck with and without bias, 2-D and 3-D inputs") {
  xg::Generator g(11);
  auto x = xg::randn<double>({4, 3}, true, g);
  auto x3 = xg::randn<double>({2, 2, 3}, true, g);
  auto w = xg::randn<double>({5, 3}, true, g);
  auto b = xg::randn<double>({5}, true, g);
  auto with_bias = gradcheck([](const auto& in) { return F::linear(in[0], in[1], in[2]); }, {x, w, b});
  CHECK_MESSAGE(with_bias, with_bias.message);
  auto without_bias = gradcheck([](const auto& in) { return F::linear(in[0], in[1]); }, {x, w});
  CHECK_MESSAGE(without_bias, without_bias.message);
  auto batched = gradcheck([](const auto& in) { return F::linear(in[0], in[1], in[2]); }, {x3, w, b});
  CHECK_MESSAGE(batched, batched.message);
}

TEST_CASE("nn dropout: identity in eval; in train zeroes about p and scales the rest by 1/(1-p)") {
  xg::Generator g(9);
  nn::Dropout drop(0.3, g);
  auto x = xg::ones<float>({100, 100}, true);
  drop.eval();
  auto same = drop(x);
  CHECK(same.node() == x.node());

  drop.train();
  auto y = drop(x);
  std::size_t zeros = 0, scaled = 0;
  const float survivor = static_cast<float>(1.0 / 0.7);
  for (float v : y.value()) {
    zeros += v == 0.0f;
    scaled += v == survivor;
  }
  CHECK(zeros + scaled == 10000);
  // Binomial(10000, 0.3): mean 3000, sd sqrt(10000 * 0.3 * 0.7) = 45.8; allow ~4.4 sd.
  CHECK(zeros > 2800);
  CHECK(zeros < 3200);

  // The gradient goes through the same mask.
  xg::sum(y).backward();
  CHECK(x.grad() == y.value());

  xg::Generator g1(4), g2(4);
  CHECK(nn::Dropout(0.5, g1)(x).value() == nn::Dropout(0.5, g2)(x).value());
  CHECK(xg::sum_all(F::dropout(x, 1.0).value()) == 0.0f);
  CHECK_THROWS_AS(nn::Dropout(1.5), std::invalid_argument);
  CHECK_THROWS_AS(F::dropout(x, -0.1), std::invalid_argument);
}

TEST_CASE("nn activations: modules compute their functions") {
  auto x = xg::tensor({{0.0f, 1.0f}, {-2.0f, 3.0f}});
  CHECK(nn::ReLU()(x).value() == xg::Array<float>{{0, 1}, {0, 3}});
  CHECK(nn::Tanh()(x).value()(0, 1) == doctest::Approx(0.76159416));     // tanh(1)
  CHECK(nn::Sigmoid()(x).value()(1, 0) == doctest::Approx(0.11920292));  // 1 / (1 + e^2)
  // softmax of (0, 1) per row: (1, e) / (1 + e) = (0.26894142, 0.73105858)
  auto rows = nn::Softmax(1)(x);
  CHECK(rows.value()(0, 0) == doctest::Approx(0.26894142));
  // along axis 0, column 0: (e^0, e^-2) / (1 + e^-2) = (0.88079708, 0.11920292)
  auto cols = nn::Softmax(0)(x);
  CHECK(cols.value()(0, 0) == doctest::Approx(0.88079708));
  auto logs = nn::LogSoftmax(-1)(x);
  CHECK(logs.value()(0, 1) == doctest::Approx(std::log(0.73105858)));
}

TEST_CASE("nn init: bounds and gains as torch.nn.init defines them") {
  namespace init = nn::init;
  CHECK(init::calculate_gain(init::Nonlinearity::tanh) == doctest::Approx(5.0 / 3.0));
  CHECK(init::calculate_gain(init::Nonlinearity::relu) == doctest::Approx(std::sqrt(2.0)));
  // leaky_relu with slope sqrt(5): sqrt(2 / (1 + 5)) = sqrt(1/3)
  CHECK(init::calculate_gain(init::Nonlinearity::leaky_relu, std::sqrt(5.0)) == doctest::Approx(std::sqrt(1.0 / 3)));
  CHECK(init::calculate_fan_in_and_fan_out({4, 3, 5}) == std::pair<std::size_t, std::size_t>{15, 20});
  CHECK_THROWS_AS(init::calculate_fan_in_and_fan_out({4}), xg::ShapeError);

  xg::Generator g(1);
  auto w = xg::zeros<double>({50, 200});
  // xavier: sqrt(6 / (200 + 50)) = 0.15491933
  init::xavier_uniform_(w, 1.0, g);
  double m = 0;
  for (double v : w.value()) m = std::max(m, std::abs(v));
  CHECK(m <= 0.15491933);
  CHECK(m > 0.15);
  // kaiming relu, fan_out: sqrt(2) * sqrt(3 / 50) = sqrt(6 / 50) = 0.34641016
  init::kaiming_uniform_(w, {.mode = init::FanMode::fan_out, .nonlinearity = init::Nonlinearity::relu}, g);
  m = 0;
  for (double v : w.value()) m = std::max(m, std::abs(v));
  CHECK(m <= 0.34641016);
  CHECK(m > 0.34);

  init::normal_(w, 2.0, 0.5, g);
  double mean = xg::sum_all(w.value()) / 10000, var = 0;
  for (double v : w.value()) var += (v - mean) * (v - mean) / 10000;
  // sd of the sample mean: 0.5 / 100 = 0.005
  CHECK(mean == doctest::Approx(2.0).epsilon(0.01));
  CHECK(std::sqrt(var) == doctest::Approx(0.5).epsilon(0.05));

  init::uniform_(w, -1.0, 3.0, g);
  std::size_t outside = 0;
  for (double v : w.value()) outside += !(v >= -1.0 && v < 3.0);
  CHECK(outside == 0);
  init::zeros_(w);
  CHECK(xg::sum_all(w.value()) == 0.0);
  CHECK_THROWS_AS(init::uniform_(w, 2.0, 1.0, g), std::invalid_argument);
  CHECK_THROWS_AS(init::normal_(w, 0.0, -1.0, g), std::invalid_argument);
}
