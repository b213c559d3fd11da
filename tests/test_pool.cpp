// max_pool2d, avg_pool2d, adaptive_avg_pool2d: values against loops written
// here from torch's definitions and against small cases worked by hand, the
// max's gradient going to the first maximum, float64 gradchecks with
// strides, padding, dilation and ceil_mode, and the errors.

#include <doctest/doctest.h>

#include <algorithm>
#include <cmath>
#include <functional>
#include <limits>
#include <numeric>
#include <string>
#include <vector>

#include <xgrad/xgrad.hpp>

#include "exception_message.hpp"

namespace {

using xg::Shape;
using xg::Tensor64;
using Inputs = std::vector<Tensor64>;
using xg::testing::message_of;

// Distinct values 0.1 apart in a shuffled order: no ties for the max, and no
// kink within a finite-difference step.
Tensor64 distinct_values(const Shape& shape, xg::Generator& gen) {
  Tensor64 t = xg::zeros<double>(shape, true);
  std::vector<double> values(t.numel());
  std::iota(values.begin(), values.end(), 0.0);
  for (std::size_t i = values.size(); i > 1; --i) std::swap(values[i - 1], values[gen.randint(i)]);
  for (std::size_t i = 0; i < values.size(); ++i) t.value().data()[i] = 0.1 * values[i] - 1.0;
  return t;
}

struct Window {
  long k, s, p, d;
};

// torch.nn.MaxPool2d's documented output size, floor or ceil, the last window
// starting inside the input or its left padding.
long out_size(long in, const Window& w, bool ceil_mode) {
  const double exact = double(in + 2 * w.p - w.d * (w.k - 1) - 1) / double(w.s);
  long size = long(ceil_mode ? std::ceil(exact) : std::floor(exact)) + 1;
  if (ceil_mode && (size - 1) * w.s >= in + w.p) --size;
  return size;
}

xt::xarray<double> direct_max_pool(const xt::xarray<double>& x, Window wh, Window ww, bool ceil_mode) {
  const long N = long(x.shape()[0]), C = long(x.shape()[1]), H = long(x.shape()[2]), W = long(x.shape()[3]);
  const long OH = out_size(H, wh, ceil_mode), OW = out_size(W, ww, ceil_mode);
  auto y = xt::xarray<double>::from_shape({std::size_t(N), std::size_t(C), std::size_t(OH), std::size_t(OW)});
  for (long n = 0; n < N; ++n)
    for (long c = 0; c < C; ++c)
      for (long i = 0; i < OH; ++i)
        for (long j = 0; j < OW; ++j) {
          double best = -std::numeric_limits<double>::infinity();
          for (long a = 0; a < wh.k; ++a)
            for (long b = 0; b < ww.k; ++b) {
              const long r = i * wh.s - wh.p + a * wh.d, q = j * ww.s - ww.p + b * ww.d;
              if (r >= 0 && r < H && q >= 0 && q < W) best = std::max(best, x(n, c, r, q));
            }
          y(n, c, i, j) = best;
        }
  return y;
}

}  // namespace

TEST_CASE("max_pool2d: values equal the window maxima, with stride, padding, dilation and ceil_mode") {
  xg::Generator gen(11);
  struct Case {
    Shape x;
    Window h, w;
    bool ceil_mode;
  };
  const std::vector<Case> cases = {
      {{2, 3, 8, 8}, {2, 2, 0, 1}, {2, 2, 0, 1}, false},  // the digits CNN's pool
      {{1, 2, 7, 7}, {3, 2, 1, 1}, {3, 2, 1, 1}, false},
      {{1, 2, 7, 6}, {2, 2, 0, 1}, {3, 2, 1, 1}, true},
      {{2, 1, 9, 8}, {2, 1, 1, 2}, {3, 3, 0, 2}, true},
  };
  for (const auto& k : cases) {
    CAPTURE(xg::shape_to_string(k.x));
    const auto x = xg::uniform<double>(k.x, -1, 1, false, gen);
    const auto y = xg::max_pool2d(x, {k.h.k, k.w.k},
                                  {.stride = xg::Size2{k.h.s, k.w.s},
                                   .padding = {k.h.p, k.w.p},
                                   .dilation = {k.h.d, k.w.d},
                                   .ceil_mode = k.ceil_mode});
    const auto expected = direct_max_pool(x.value(), k.h, k.w, k.ceil_mode);
    REQUIRE(xg::shape_to_string(y.shape()) == xg::shape_to_string(expected.shape()));
    CHECK(y.value() == expected);
  }
  // stride defaults to the kernel: 7 rows in windows of 2 give 3 (floor) or 4 (ceil_mode)
  const auto x = xg::uniform<double>({1, 1, 7, 7}, -1, 1, false, gen);
  CHECK(xg::shape_to_string(xg::max_pool2d(x, 2).shape()) == "(1, 1, 3, 3)");
  CHECK(xg::shape_to_string(xg::max_pool2d(x, 2, {.ceil_mode = true}).shape()) == "(1, 1, 4, 4)");
}

TEST_CASE("max_pool2d: the gradient goes to the first maximum of each window") {
  // Row-major 2x4 plane, two 2x2 windows: the left one all equal (the first
  // cell wins), the right one with its maximum 5 at (1, 3).
  auto x = xg::tensor<double>({{{{1, 1, 2, 3}, {1, 1, 4, 5}}}}, true);
  auto y = xg::max_pool2d(x, 2);
  CHECK(y.value()(0, 0, 0, 0) == 1.0);
  CHECK(y.value()(0, 0, 0, 1) == 5.0);
  xg::sum(y * xg::tensor<double>({{{{1.0, 10.0}}}})).backward();
  const std::vector<double> expected = {1, 0, 0, 0, 0, 0, 0, 10};
  CHECK(std::vector<double>(x.grad().begin(), x.grad().end()) == expected);
}

TEST_CASE("max_pool2d: a NaN in the window is the maximum, as in torch") {
  auto x = xg::zeros<double>({1, 1, 2, 2});
  x.value()(0, 0, 1, 0) = std::numeric_limits<double>::quiet_NaN();
  CHECK(std::isnan(xg::max_pool2d(x, 2).value()(0, 0, 0, 0)));
}

TEST_CASE("avg_pool2d: worked examples of torch's divisor rule") {
  // The 3x3 plane 1..9.
  auto x = xg::reshape(xg::arange<double>(1, 10), {1, 1, 3, 3});
  // kernel 2, ceil_mode: the windows hanging over the end are divided by the cells they cover.
  const auto ceil = xg::avg_pool2d(x, 2, {.ceil_mode = true});
  const std::vector<double> ceil_expected = {(1 + 2 + 4 + 5) / 4.0, (3 + 6) / 2.0, (7 + 8) / 2.0, 9 / 1.0};
  CHECK(std::vector<double>(ceil.value().begin(), ceil.value().end()) == ceil_expected);
  // kernel 3, stride 2, padding 1: the corner windows cover 4 cells of the
  // image, 9 of the padded image.
  const auto with_pad = xg::avg_pool2d(x, 3, {.stride = 2, .padding = 1});
  const auto without_pad = xg::avg_pool2d(x, 3, {.stride = 2, .padding = 1, .count_include_pad = false});
  const std::vector<double> corners = {1 + 2 + 4 + 5, 2 + 3 + 5 + 6, 4 + 5 + 7 + 8, 5 + 6 + 8 + 9};
  for (std::size_t i = 0; i < 4; ++i) {
    CHECK(with_pad.value().data()[i] == doctest::Approx(corners[i] / 9.0).epsilon(1e-15));
    CHECK(without_pad.value().data()[i] == doctest::Approx(corners[i] / 4.0).epsilon(1e-15));
  }
}

TEST_CASE("avg_pool2d: without padding it is the mean of each window") {
  xg::Generator gen(12);
  const auto x = xg::uniform<double>({2, 3, 6, 7}, -1, 1, false, gen);
  const auto y = xg::avg_pool2d(x, {2, 3}, {.stride = xg::Size2{2, 2}});
  REQUIRE(xg::shape_to_string(y.shape()) == "(2, 3, 3, 3)");
  for (std::size_t n = 0; n < 2; ++n)
    for (std::size_t c = 0; c < 3; ++c)
      for (std::size_t i = 0; i < 3; ++i)
        for (std::size_t j = 0; j < 3; ++j) {
          double total = 0;
          for (std::size_t a = 0; a < 2; ++a)
            for (std::size_t b = 0; b < 3; ++b) total += x.value()(n, c, 2 * i + a, 2 * j + b);
          CHECK(y.value()(n, c, i, j) == doctest::Approx(total / 6).epsilon(1e-14));
        }
}

TEST_CASE("adaptive_avg_pool2d: torch's start/end windows, and kernel = stride = H / OH when it divides") {
  // 5 rows into 3: rows [0, 2), [1, 4), [3, 5) of 1..5.
  auto x = xg::reshape(xg::arange<double>(1, 6), {1, 1, 5, 1});
  const auto y = xg::adaptive_avg_pool2d(x, {3, 1});
  const std::vector<double> expected = {(1 + 2) / 2.0, (2 + 3 + 4) / 3.0, (4 + 5) / 2.0};
  CHECK(std::vector<double>(y.value().begin(), y.value().end()) == expected);

  xg::Generator gen(13);
  const auto images = xg::uniform<double>({2, 3, 6, 8}, -1, 1, false, gen);
  CHECK(xt::allclose(xg::adaptive_avg_pool2d(images, {3, 2}).value(), xg::avg_pool2d(images, {2, 4}).value(), 1e-14,
                     1e-14));
  CHECK(xt::allclose(xg::adaptive_avg_pool2d(images, 1).value(), xt::mean(images.value(), {2, 3}, xt::keep_dims), 1e-14,
                     1e-14));
}

TEST_CASE("pooling: gradcheck in float64 with strides, padding, dilation and ceil_mode") {
  xg::Generator gen(14);
  const auto check = [](const std::function<Tensor64(const Inputs&)>& fn, const Tensor64& x) {
    const auto result = xg::autograd::gradcheck(fn, {x});
    CHECK_MESSAGE(result.passed, result.message);
  };
  const auto x = distinct_values({2, 2, 7, 6}, gen);
  check([](const Inputs& t) { return xg::max_pool2d(t[0], 2); }, x);
  check(
      [](const Inputs& t) {
        return xg::max_pool2d(t[0], {3, 2}, {.stride = xg::Size2{2, 1}, .padding = {1, 1}});
      },
      x);
  check([](const Inputs& t) { return xg::max_pool2d(t[0], 2, {.dilation = 2, .ceil_mode = true}); }, x);
  check([](const Inputs& t) { return xg::avg_pool2d(t[0], 3, {.stride = 2, .padding = 1}); }, x);
  check(
      [](const Inputs& t) {
        return xg::avg_pool2d(t[0], {3, 2},
                              {.stride = 2, .padding = {1, 0}, .ceil_mode = true, .count_include_pad = false});
      },
      x);
  check([](const Inputs& t) { return xg::adaptive_avg_pool2d(t[0], {3, 4}); }, x);
  check([](const Inputs& t) { return xg::adaptive_avg_pool2d(t[0], {9, 1}); }, x);  // more rows than the input
}

TEST_CASE("pooling: an unbatched input (C, H, W) gives an unbatched result, and gradchecks") {
  xg::Generator gen(15);
  const auto x = distinct_values({3, 7, 6}, gen);
  const xt::xarray<double> batch_of_one =
      xt::reshape_view(x.value(), {std::size_t(1), std::size_t(3), std::size_t(7), std::size_t(6)});
  const xt::xarray<double> direct = direct_max_pool(batch_of_one, {3, 2, 1, 1}, {2, 2, 0, 1}, true);
  const auto y = xg::max_pool2d(x, {3, 2}, {.stride = 2, .padding = {1, 0}, .ceil_mode = true});
  const xg::Shape unbatched(direct.shape().begin() + 1, direct.shape().end());
  REQUIRE(xg::shape_to_string(y.shape()) == xg::shape_to_string(unbatched));
  CHECK(y.value() == xt::reshape_view(direct, unbatched));
  // The mean of each 2x3 window of a 4x6 plane, written out for one plane.
  const auto plane = xg::uniform<double>({1, 4, 6}, -1, 1, false, gen);
  const auto means = xg::avg_pool2d(plane, {2, 3});
  REQUIRE(xg::shape_to_string(means.shape()) == "(1, 2, 2)");
  for (std::size_t i = 0; i < 2; ++i)
    for (std::size_t j = 0; j < 2; ++j) {
      double total = 0;
      for (std::size_t a = 0; a < 2; ++a)
        for (std::size_t b = 0; b < 3; ++b) total += plane.value()(0, 2 * i + a, 3 * j + b);
      CHECK(means.value()(0, i, j) == doctest::Approx(total / 6).epsilon(1e-14));
    }
  CHECK(xt::allclose(xg::adaptive_avg_pool2d(plane, 1).value(), xt::mean(plane.value(), {1, 2}, xt::keep_dims), 1e-14,
                     1e-14));
  for (const auto& fn : std::vector<std::function<Tensor64(const Inputs&)>>{
           [](const Inputs& t) { return xg::max_pool2d(t[0], 2, {.dilation = 2, .ceil_mode = true}); },
           [](const Inputs& t) { return xg::avg_pool2d(t[0], 3, {.stride = 2, .padding = 1}); },
           [](const Inputs& t) {
             return xg::adaptive_avg_pool2d(t[0], {3, 4});
           }}) {
    const auto result = xg::autograd::gradcheck(fn, {x});
    CHECK_MESSAGE(result.passed, result.message);
  }
  CHECK(xg::shape_to_string(xg::nn::BasicMaxPool2d<double>(2)(x).shape()) == "(3, 3, 3)");
}

TEST_CASE("pooling: bad shapes and options are refused, naming the op") {
  const auto x = xg::zeros({2, 3, 4, 4});
  CHECK(message_of<xg::ShapeError>([&] {
          xg::max_pool2d(xg::zeros({4, 4}), 2);
        }) == "max_pool2d: expects a 4-D input (N, C, H, W) or an unbatched (C, H, W), got shape (4, 4)");
  CHECK(message_of<xg::ShapeError>([&] {
          xg::adaptive_avg_pool2d(xg::zeros({1, 2, 3, 4, 4}), 2);
        }) ==
        "adaptive_avg_pool2d: expects a 4-D input (N, C, H, W) or an unbatched (C, H, W), got shape (1, 2, 3, 4, 4)");
  CHECK(message_of<std::invalid_argument>([&] { xg::max_pool2d(x, 2, {.stride = 0}); }) ==
        "max_pool2d: stride must be positive, got (0, 0)");
  CHECK(message_of<std::invalid_argument>([&] {
          xg::avg_pool2d(x, {2, 0});
        }) == "avg_pool2d: kernel_size must be positive, got (2, 0)");
  CHECK(message_of<std::invalid_argument>([&] { xg::max_pool2d(x, 2, {.padding = 2}); }) ==
        "max_pool2d: padding must be between 0 and half the kernel size, got padding (2, 2) for kernel_size (2, 2)");
  CHECK(message_of<xg::ShapeError>([&] { xg::max_pool2d(x, 5); }) ==
        "max_pool2d: input of shape (2, 3, 4, 4) is too small for kernel_size (5, 5) with padding (0, 0) and "
        "dilation (1, 1): output size would be (0, 0)");
  CHECK(message_of<std::invalid_argument>([&] {
          xg::adaptive_avg_pool2d(x, {0, 2});
        }) == "adaptive_avg_pool2d: output_size must be positive, got (0, 2)");
}

TEST_CASE("nn::MaxPool2d, AvgPool2d, AdaptiveAvgPool2d: the functional ops with their options, in both scalar types") {
  xg::Generator gen(31);
  const auto x = xg::uniform<double>({2, 3, 7, 7}, -1, 1, false, gen);
  CHECK(xg::nn::BasicMaxPool2d<double>(3, {.stride = 2, .padding = 1})(x).value() ==
        xg::max_pool2d(x, 3, {.stride = 2, .padding = 1}).value());
  CHECK(xg::nn::BasicAvgPool2d<double>(2, {.ceil_mode = true})(x).value() ==
        xg::avg_pool2d(x, 2, {.ceil_mode = true}).value());
  CHECK(xg::nn::BasicAdaptiveAvgPool2d<double>({1, 2})(x).value() == xg::adaptive_avg_pool2d(x, {1, 2}).value());
  xg::nn::MaxPool2d pool(2);
  CHECK(pool.named_parameters().empty());
  CHECK(xg::shape_to_string(pool.to<double>()(x).shape()) == "(2, 3, 3, 3)");
}
