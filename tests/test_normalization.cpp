// layer_norm and batch_norm: forward values against naive loops written here
// (in double, from the definitions), float64 gradchecks of every
// normalized_shape rank and of batch_norm in training and eval mode, the
// running statistics over several steps against torch's formulas (momentum,
// unbiased variance for the running estimate), and the errors.

#include <doctest/doctest.h>

#include <cmath>
#include <string>
#include <vector>

#include <xgrad/xgrad.hpp>

#include "exception_message.hpp"

namespace {

using xg::Shape;
using xg::Tensor64;
using xg::testing::contains;
using xg::testing::message_of;
using Inputs = std::vector<Tensor64>;

Tensor64 leaf(const Shape& shape, std::uint64_t seed, double low = -2, double high = 2) {
  xg::Generator gen(seed);
  return xg::uniform<double>(shape, low, high, true, gen);
}

std::size_t product(const Shape& s, std::size_t from = 0) {
  std::size_t n = 1;
  for (std::size_t i = from; i < s.size(); ++i) n *= s[i];
  return n;
}

// Each run of n consecutive elements: (x - mean) / sqrt(var + eps) * w + b.
std::vector<double> naive_layer_norm(const std::vector<double>& x, std::size_t n, const std::vector<double>& w,
                                     const std::vector<double>& b, double eps) {
  std::vector<double> y(x.size());
  for (std::size_t first = 0; first < x.size(); first += n) {
    double mean = 0, var = 0;
    for (std::size_t j = 0; j < n; ++j) mean += x[first + j] / n;
    for (std::size_t j = 0; j < n; ++j) var += (x[first + j] - mean) * (x[first + j] - mean) / n;
    for (std::size_t j = 0; j < n; ++j)
      y[first + j] = (x[first + j] - mean) / std::sqrt(var + eps) * (w.empty() ? 1 : w[j]) + (b.empty() ? 0 : b[j]);
  }
  return y;
}

// Per channel c of x (N, C, L...): its batch mean and biased and unbiased variance.
struct ChannelStats {
  std::vector<double> mean, biased, unbiased;
};

ChannelStats naive_channel_stats(const std::vector<double>& x, const Shape& shape) {
  const std::size_t N = shape[0], C = shape[1], L = product(shape, 2), m = N * L;
  ChannelStats s{std::vector<double>(C), std::vector<double>(C), std::vector<double>(C)};
  for (std::size_t c = 0; c < C; ++c) {
    double total = 0;
    for (std::size_t i = 0; i < N; ++i)
      for (std::size_t l = 0; l < L; ++l) total += x[(i * C + c) * L + l];
    s.mean[c] = total / m;
    double sq = 0;
    for (std::size_t i = 0; i < N; ++i)
      for (std::size_t l = 0; l < L; ++l) sq += std::pow(x[(i * C + c) * L + l] - s.mean[c], 2);
    s.biased[c] = sq / m;
    s.unbiased[c] = sq / (m - 1);
  }
  return s;
}

std::vector<double> naive_batch_norm(const std::vector<double>& x, const Shape& shape, const std::vector<double>& mean,
                                     const std::vector<double>& var, const std::vector<double>& w,
                                     const std::vector<double>& b, double eps) {
  const std::size_t N = shape[0], C = shape[1], L = product(shape, 2);
  std::vector<double> y(x.size());
  for (std::size_t i = 0; i < N; ++i)
    for (std::size_t c = 0; c < C; ++c)
      for (std::size_t l = 0; l < L; ++l) {
        const std::size_t k = (i * C + c) * L + l;
        y[k] = (x[k] - mean[c]) / std::sqrt(var[c] + eps) * w[c] + b[c];
      }
  return y;
}

std::vector<double> values(const Tensor64& t) { return {t.value().begin(), t.value().end()}; }

void check_close(const std::vector<double>& got, const std::vector<double>& expected, double tol) {
  REQUIRE(got.size() == expected.size());
  for (std::size_t i = 0; i < got.size(); ++i) {
    CAPTURE(i);
    CHECK(std::abs(got[i] - expected[i]) <= tol * (1 + std::abs(expected[i])));
  }
}

void check_gradients(const std::function<Tensor64(const Inputs&)>& fn, const Inputs& inputs) {
  const auto result = xg::autograd::gradcheck(fn, inputs);
  CHECK_MESSAGE(result.passed, result.message);
}

}  // namespace

TEST_CASE("layer_norm: forward equals the naive loop, for normalized_shape of rank 1, 2 and 3") {
  const std::vector<std::pair<Shape, Shape>> cases = {
      {{4, 5}, {5}}, {{2, 3, 4}, {3, 4}}, {{2, 2, 3, 2}, {2, 3, 2}}, {{6}, {6}}};
  std::uint64_t seed = 10;
  for (const auto& item : cases) {
    const auto& shape = item.first;  // not a structured binding: clang 14 cannot capture one
    const auto& normalized = item.second;
    CAPTURE(xg::shape_to_string(shape));
    auto x = leaf(shape, ++seed);
    auto w = leaf(normalized, ++seed), b = leaf(normalized, ++seed);
    const std::size_t n = product(normalized);
    check_close(values(xg::layer_norm(x, normalized, w, b, 1e-5)),
                naive_layer_norm(values(x), n, values(w), values(b), 1e-5), 1e-12);
    check_close(values(xg::layer_norm(x, normalized)), naive_layer_norm(values(x), n, {}, {}, 1e-5), 1e-12);
    // float32 agrees to its own precision.
    auto x32 = xg::tensor(xt::cast<float>(x.value()));
    auto y32 = xg::layer_norm(x32, normalized);
    const auto expected = naive_layer_norm(values(x), n, {}, {}, 1e-5);
    for (std::size_t i = 0; i < expected.size(); ++i) CHECK(std::abs(y32.value().data()[i] - expected[i]) < 1e-5);
  }
}

TEST_CASE("layer_norm: gradcheck in float64 of x, weight and bias, every normalized_shape rank") {
  const std::vector<std::pair<Shape, Shape>> cases = {
      {{4, 5}, {5}}, {{2, 3, 4}, {3, 4}}, {{2, 2, 3, 2}, {2, 3, 2}}, {{6}, {6}}, {{3, 1}, {1}}};
  std::uint64_t seed = 20;
  for (const auto& item : cases) {
    const auto& shape = item.first;  // not a structured binding: clang 14 cannot capture one
    const auto& normalized = item.second;
    CAPTURE(xg::shape_to_string(shape));
    const Tensor64 r = leaf(shape, ++seed).detach();  // weights every output differently
    check_gradients([&](const Inputs& in) { return xg::sum(xg::layer_norm(in[0], normalized, in[1], in[2]) * r); },
                    {leaf(shape, ++seed), leaf(normalized, ++seed), leaf(normalized, ++seed)});
    check_gradients([&](const Inputs& in) { return xg::sum(xg::layer_norm(in[0], normalized) * r); },
                    {leaf(shape, ++seed)});
    check_gradients([&](const Inputs& in) { return xg::sum(xg::layer_norm(in[0], normalized, in[1]) * r); },
                    {leaf(shape, ++seed), leaf(normalized, ++seed)});
  }
}

TEST_CASE("batch_norm: training forward equals the naive loop, for (N, C), (N, C, L) and (N, C, H, W)") {
  std::uint64_t seed = 30;
  for (const Shape& shape : {Shape{8, 3}, Shape{4, 3, 5}, Shape{2, 3, 4, 2}}) {
    CAPTURE(xg::shape_to_string(shape));
    auto x = leaf(shape, ++seed);
    auto w = leaf({3}, ++seed), b = leaf({3}, ++seed);
    const auto s = naive_channel_stats(values(x), shape);
    check_close(values(xg::batch_norm(x, Tensor64(), Tensor64(), w, b, true, 0.1, 1e-5)),
                naive_batch_norm(values(x), shape, s.mean, s.biased, values(w), values(b), 1e-5), 1e-12);
  }
}

TEST_CASE("batch_norm: running statistics over several steps follow torch's formulas; eval uses them") {
  const Shape shape{4, 3, 2, 2};
  auto running_mean = xg::zeros<double>({3}), running_var = xg::ones<double>({3});
  std::vector<double> mean(3, 0.0), var(3, 1.0);  // torch's initial buffers
  const double momentum = 0.1;
  auto w = leaf({3}, 40), b = leaf({3}, 41);
  for (std::uint64_t step = 0; step < 5; ++step) {
    auto x = leaf(shape, 50 + step, -1.0 + step, 2.0 + 2 * step);  // the statistics move from step to step
    xg::batch_norm(x, running_mean, running_var, w, b, true, momentum, 1e-5);
    const auto s = naive_channel_stats(values(x), shape);
    for (std::size_t c = 0; c < 3; ++c) {
      mean[c] = (1 - momentum) * mean[c] + momentum * s.mean[c];
      var[c] = (1 - momentum) * var[c] + momentum * s.unbiased[c];
    }
    check_close(values(running_mean), mean, 1e-14);
    check_close(values(running_var), var, 1e-14);
  }
  // Eval: the running estimates normalize, and stay as they are.
  auto x = leaf(shape, 60);
  const auto mean_before = values(running_mean), var_before = values(running_var);
  check_close(values(xg::batch_norm(x, running_mean, running_var, w, b, false, momentum, 1e-5)),
              naive_batch_norm(values(x), shape, mean, var, values(w), values(b), 1e-5), 1e-12);
  CHECK(values(running_mean) == mean_before);
  CHECK(values(running_var) == var_before);
}

TEST_CASE("batch_norm: gradcheck in float64, training and eval, with and without weight and bias") {
  std::uint64_t seed = 70;
  for (const Shape& shape : {Shape{6, 3}, Shape{3, 2, 4}, Shape{2, 3, 2, 3}}) {
    CAPTURE(xg::shape_to_string(shape));
    const std::size_t c = shape[1];
    const Tensor64 r = leaf(shape, ++seed).detach();
    const Tensor64 rm = leaf({c}, ++seed).detach(), rv = leaf({c}, ++seed, 0.5, 2.0).detach();
    for (bool training : {true, false}) {
      CAPTURE(training);
      // Training mode updates no running statistics here (none given), so
      // every evaluation of the function is the same function.
      const Tensor64 mean = training ? Tensor64() : rm, var = training ? Tensor64() : rv;
      check_gradients(
          [&](const Inputs& in) { return xg::sum(xg::batch_norm(in[0], mean, var, in[1], in[2], training) * r); },
          {leaf(shape, ++seed), leaf({c}, ++seed), leaf({c}, ++seed)});
      check_gradients([&](const Inputs& in) { return xg::sum(xg::batch_norm(in[0], mean, var, {}, {}, training) * r); },
                      {leaf(shape, ++seed)});
    }
  }
}

TEST_CASE("layer_norm and batch_norm: errors name the op and the shapes") {
  auto x = xg::zeros<double>({2, 3, 4});
  CHECK(message_of<xg::ShapeError>([&] { xg::layer_norm(x, {3}); }) ==
        "layer_norm: input of shape (2, 3, 4) does not end in normalized_shape (3,)");
  CHECK(message_of<xg::ShapeError>([&] {
          xg::layer_norm(x, {1, 2, 3, 4});
        }) == "layer_norm: input of shape (2, 3, 4) does not end in normalized_shape (1, 2, 3, 4)");
  CHECK(message_of<xg::ShapeError>([&] { xg::layer_norm(x, {4}, xg::ones<double>({3})); }) ==
        "layer_norm: weight of shape (3,) should be (4,), the normalized_shape");
  CHECK(message_of<xg::ShapeError>([&] { xg::layer_norm(x, {}); }) ==
        "layer_norm: normalized_shape () holds no element to normalize");
  CHECK(contains(message_of<std::invalid_argument>([&] { xg::layer_norm(x, {4}, {}, {}, -1.0); }),
                 "layer_norm: eps must be finite and >= 0"));

  auto rm = xg::zeros<double>({3}), rv = xg::ones<double>({3});
  CHECK(message_of<xg::ShapeError>([&] { xg::batch_norm(x, xg::zeros<double>({4}), rv, {}, {}, true); }) ==
        "batch_norm: running_mean of shape (4,) should be (3,), one per channel of the input (2, 3, 4)");
  CHECK(message_of<xg::ShapeError>([&] { xg::batch_norm(x, rm, rv, xg::ones<double>({2}), {}, true); }) ==
        "batch_norm: weight of shape (2,) should be (3,), one per channel of the input (2, 3, 4)");
  CHECK(message_of<xg::ShapeError>([&] { xg::batch_norm(xg::zeros<double>({3}), rm, rv); }) ==
        "batch_norm: expects an input of shape (N, C, ...), got (3,)");
  CHECK(message_of<std::invalid_argument>([&] {
          xg::batch_norm(xg::zeros<double>({1, 3}), rm, rv, {}, {}, true);
        }) == "batch_norm: expected more than 1 value per channel when training, got input of shape (1, 3)");
  CHECK(message_of<std::invalid_argument>([&] { xg::batch_norm(x, Tensor64(), Tensor64()); }) ==
        "batch_norm: running_mean and running_var are needed when not training");
  // A refused call leaves the running statistics alone.
  CHECK(xt::all(xt::equal(rm.value(), 0.0)));
  CHECK(xt::all(xt::equal(rv.value(), 1.0)));
}

TEST_CASE("nn::LayerNorm: weight ones and bias zeros of normalized_shape, or none, and the functional op's values") {
  xg::nn::BasicLayerNorm<double> norm({3, 4});
  REQUIRE(norm.named_parameters().size() == 2);
  CHECK(norm.named_parameters()[0].first == "weight");
  CHECK(xt::all(xt::equal(norm.weight.value(), 1.0)));
  CHECK(xt::all(xt::equal(norm.bias.value(), 0.0)));
  auto x = leaf({2, 3, 4}, 80);
  norm.weight = leaf({3, 4}, 81);
  check_close(values(norm(x)), values(xg::layer_norm(x, {3, 4}, norm.weight, norm.bias)), 0);
  xg::nn::LayerNorm plain({4}, {.eps = 1e-3, .elementwise_affine = false});
  CHECK(plain.named_parameters().empty());
  CHECK(message_of<xg::ShapeError>([&] {
          plain(xg::zeros({2, 3}));
        }) == "layer_norm: input of shape (2, 3) does not end in normalized_shape (4,)");
}

TEST_CASE("nn::BatchNorm1d: running statistics and num_batches_tracked over several steps, then eval") {
  xg::nn::BasicBatchNorm1d<double> bn(3, {.momentum = 0.2});
  const auto buffers = bn.named_buffers();
  REQUIRE(buffers.size() == 3);
  CHECK(buffers[0].first == "running_mean");
  CHECK(buffers[1].first == "running_var");
  CHECK(buffers[2].first == "num_batches_tracked");
  std::vector<double> mean(3, 0.0), var(3, 1.0);
  for (std::uint64_t step = 0; step < 4; ++step) {
    auto x = leaf({5, 3, 2}, 90 + step, -1.0 * step, 1.0 + step);
    const auto s = naive_channel_stats(values(x), {5, 3, 2});
    // Training: the batch's statistics normalize.
    check_close(values(bn(x)), naive_batch_norm(values(x), {5, 3, 2}, s.mean, s.biased, {1, 1, 1}, {0, 0, 0}, 1e-5),
                1e-12);
    for (std::size_t c = 0; c < 3; ++c) {
      mean[c] = 0.8 * mean[c] + 0.2 * s.mean[c];
      var[c] = 0.8 * var[c] + 0.2 * s.unbiased[c];
    }
    check_close(values(bn.running_mean), mean, 1e-14);
    check_close(values(bn.running_var), var, 1e-14);
    CHECK(bn.num_batches_tracked.item() == step + 1);
  }
  bn.eval();
  auto x = leaf({2, 3}, 99);
  check_close(values(bn(x)), naive_batch_norm(values(x), {2, 3}, mean, var, {1, 1, 1}, {0, 0, 0}, 1e-5), 1e-12);
  CHECK(bn.num_batches_tracked.item() == 4);
  check_close(values(bn.running_mean), mean, 1e-14);
}

TEST_CASE("nn::BatchNorm2d: momentum none is the cumulative average; without tracking, batch statistics always") {
  xg::nn::BasicBatchNorm2d<double> bn(2, {.momentum = std::nullopt});
  std::vector<double> mean_sum(2, 0.0), var_sum(2, 0.0);
  const Shape shape{3, 2, 2, 2};
  for (std::uint64_t step = 0; step < 3; ++step) {
    auto x = leaf(shape, 100 + step, step, 3.0 + 2 * step);
    bn(x);
    const auto s = naive_channel_stats(values(x), shape);
    for (std::size_t c = 0; c < 2; ++c) mean_sum[c] += s.mean[c], var_sum[c] += s.unbiased[c];
  }
  check_close(values(bn.running_mean), {mean_sum[0] / 3, mean_sum[1] / 3}, 1e-14);
  check_close(values(bn.running_var), {var_sum[0] / 3, var_sum[1] / 3}, 1e-14);

  xg::nn::BasicBatchNorm2d<double> untracked(2, {.affine = false, .track_running_stats = false});
  CHECK(untracked.named_buffers().empty());
  CHECK(untracked.named_parameters().empty());
  untracked.eval();
  auto x = leaf(shape, 110);
  const auto s = naive_channel_stats(values(x), shape);
  check_close(values(untracked(x)), naive_batch_norm(values(x), shape, s.mean, s.biased, {1, 1}, {0, 0}, 1e-5), 1e-12);

  CHECK(message_of<xg::ShapeError>([&] {
          bn(xg::zeros<double>({2, 2, 4}));
        }) == "BatchNorm2d: expects an input of shape (N, C, H, W), got (2, 2, 4)");
  CHECK(message_of<xg::ShapeError>([&] {
          bn(xg::zeros<double>({2, 3, 1, 1}));
        }) == "BatchNorm2d: input of shape (2, 3, 1, 1) has 3 channels but the layer has num_features 2");
  CHECK(bn.num_batches_tracked.item() == 3);  // refused inputs count no batch
}

TEST_CASE("nn::BatchNorm1d: state_dict round trip with the buffers, and a float64 gradcheck of the module") {
  xg::nn::BatchNorm1d a(4), b(4);
  for (std::uint64_t step = 0; step < 3; ++step) a(xg::tensor(xt::cast<float>(leaf({6, 4}, 120 + step, 0, 5).value())));
  const auto state = a.state_dict();
  b.load_state_dict(state);
  CHECK(xt::all(xt::equal(a.running_mean.value(), b.running_mean.value())));
  CHECK(xt::all(xt::equal(a.running_var.value(), b.running_var.value())));
  CHECK(b.num_batches_tracked.item() == 3);
  a.eval(), b.eval();
  auto x = xg::ones({2, 4});
  CHECK(xt::all(xt::equal(a(x).value(), b(x).value())));

  auto d = a.to<double>();
  d.train();
  check_gradients([&](const Inputs& in) { return xg::sum(xg::tanh(d(in[0]))); }, {leaf({5, 4}, 130)});
  d.eval();
  check_gradients([&](const Inputs& in) { return xg::sum(xg::tanh(d(in[0]))); }, {leaf({5, 4}, 131)});
}
