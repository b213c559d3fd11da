// conv2d and conv1d: forward values against a direct convolution written
// here (a loop over output pixels, the definition of torch's conv2d), every
// combination of stride, padding, dilation, groups and bias; float64
// gradchecks of all three inputs; the errors for operands that do not fit;
// the Conv2d, Conv1d, Flatten and Unflatten modules, and a whole CNN
// gradchecked in float64.

#include <doctest/doctest.h>

#include <cmath>
#include <string>
#include <vector>

#include <xgrad/xgrad.hpp>

#include "exception_message.hpp"

namespace {

using xg::Shape;
using xg::Tensor64;
using Inputs = std::vector<Tensor64>;
using xg::testing::message_of;

struct ConvCase {
  Shape x, w;
  long sh, sw, ph, pw, dh, dw, groups;
  bool bias;
};

// y[n, o, i, j] = b[o] + sum over the input channels c of o's group and the
// kernel cells (ki, kj) of x[n, c, i sh - ph + ki dh, j sw - pw + kj dw] w[o, c - first, ki, kj],
// x being zero outside the image.
xt::xarray<double> direct_conv2d(const xt::xarray<double>& x, const xt::xarray<double>& w, const xg::Array<double>* b,
                                 const ConvCase& k) {
  const long N = long(x.shape()[0]), C = long(x.shape()[1]), H = long(x.shape()[2]), W = long(x.shape()[3]);
  const long O = long(w.shape()[0]), Cg = long(w.shape()[1]), KH = long(w.shape()[2]), KW = long(w.shape()[3]);
  const long OH = (H + 2 * k.ph - k.dh * (KH - 1) - 1) / k.sh + 1;
  const long OW = (W + 2 * k.pw - k.dw * (KW - 1) - 1) / k.sw + 1;
  const long Og = O / k.groups;
  REQUIRE(C == Cg * k.groups);
  auto y = xt::xarray<double>::from_shape({std::size_t(N), std::size_t(O), std::size_t(OH), std::size_t(OW)});
  for (long n = 0; n < N; ++n)
    for (long o = 0; o < O; ++o)
      for (long i = 0; i < OH; ++i)
        for (long j = 0; j < OW; ++j) {
          double total = b ? (*b)(o) : 0.0;
          const long first = (o / Og) * Cg;
          for (long c = 0; c < Cg; ++c)
            for (long ki = 0; ki < KH; ++ki)
              for (long kj = 0; kj < KW; ++kj) {
                const long r = i * k.sh - k.ph + ki * k.dh, s = j * k.sw - k.pw + kj * k.dw;
                if (r >= 0 && r < H && s >= 0 && s < W) total += x(n, first + c, r, s) * w(o, c, ki, kj);
              }
          y(n, o, i, j) = total;
        }
  return y;
}

const std::vector<ConvCase> cases = {
    {{2, 1, 8, 8}, {16, 1, 3, 3}, 1, 1, 0, 0, 1, 1, 1, true},  // the digits CNN's layer
    {{2, 3, 7, 6}, {4, 3, 3, 3}, 1, 1, 1, 1, 1, 1, 1, false},  // "same" padding
    {{1, 2, 9, 8}, {3, 2, 3, 2}, 2, 3, 0, 1, 1, 1, 1, true},   // strides per axis
    {{2, 2, 9, 9}, {2, 2, 3, 3}, 1, 2, 2, 1, 2, 3, 1, true},   // dilation per axis
    {{2, 4, 6, 5}, {6, 2, 3, 2}, 2, 1, 1, 2, 1, 2, 2, true},   // groups with everything else
    {{1, 6, 5, 5}, {6, 1, 3, 3}, 1, 1, 1, 1, 1, 1, 6, false},  // depthwise
    {{3, 2, 4, 4}, {5, 2, 1, 1}, 1, 1, 0, 0, 1, 1, 1, true},   // 1x1
    {{1, 2, 3, 3}, {2, 2, 3, 3}, 1, 1, 0, 0, 1, 1, 1, true},   // kernel as large as the image
};

Shape dims(std::initializer_list<long> extents) {
  Shape out;
  for (long e : extents) out.push_back(std::size_t(e));
  return out;
}

xg::Conv2dOptions options_of(const ConvCase& k) {
  return {.stride = {k.sh, k.sw}, .padding = {k.ph, k.pw}, .dilation = {k.dh, k.dw}, .groups = k.groups};
}

}  // namespace

TEST_CASE("conv2d: values equal a direct convolution, float64 and float32") {
  xg::Generator gen(3);
  for (const auto& k : cases) {
    CAPTURE(xg::shape_to_string(k.x));
    CAPTURE(xg::shape_to_string(k.w));
    const auto x = xg::uniform<double>(k.x, -1, 1, false, gen);
    const auto w = xg::uniform<double>(k.w, -1, 1, false, gen);
    const auto b = xg::uniform<double>({k.w[0]}, -1, 1, false, gen);
    const xt::xarray<double> expected = direct_conv2d(x.value(), w.value(), k.bias ? &b.value() : nullptr, k);
    const auto y = xg::conv2d(x, w, k.bias ? b : Tensor64{}, options_of(k));
    REQUIRE(xg::shape_to_string(y.shape()) == xg::shape_to_string(expected.shape()));
    CHECK(xt::allclose(y.value(), expected, 1e-12, 1e-12));

    const auto y32 = xg::conv2d(xg::tensor(xt::xarray<float>(x.value())), xg::tensor(xt::xarray<float>(w.value())),
                                k.bias ? xg::tensor(xt::xarray<float>(b.value())) : xg::Tensor{}, options_of(k));
    CHECK(xt::allclose(xt::xarray<double>(y32.value()), expected, 1e-5, 1e-5));
  }
}

TEST_CASE("conv2d, conv1d: an unbatched input (C, H, W) or (C, L) gives an unbatched result, and gradchecks") {
  xg::Generator gen(8);
  const ConvCase k = cases[4];  // groups, strides, padding and dilation together
  const Shape image(k.x.begin() + 1, k.x.end());
  const Inputs in = {xg::uniform<double>(image, -1, 1, true, gen), xg::uniform<double>(k.w, -1, 1, true, gen),
                     xg::uniform<double>({k.w[0]}, -1, 1, true, gen)};
  const xt::xarray<double> batch_of_one =
      xt::reshape_view(in[0].value(), {std::size_t(1), image[0], image[1], image[2]});
  const xt::xarray<double> direct = direct_conv2d(batch_of_one, in[1].value(), &in[2].value(), k);
  const auto y = xg::conv2d(in[0], in[1], in[2], options_of(k));
  const Shape unbatched(direct.shape().begin() + 1, direct.shape().end());
  REQUIRE(xg::shape_to_string(y.shape()) == xg::shape_to_string(unbatched));
  CHECK(xt::allclose(y.value(), xt::reshape_view(direct, unbatched), 1e-12, 1e-12));
  const auto result =
      xg::autograd::gradcheck([&](const Inputs& t) { return xg::conv2d(t[0], t[1], t[2], options_of(k)); }, in);
  CHECK_MESSAGE(result.passed, result.message);

  // conv1d on (C, L): y[o, j] = sum_{c, q} x[c, j + q - 1] w[o, c, q], zero outside, padding 1.
  const Inputs line = {xg::uniform<double>({2, 5}, -1, 1, true, gen), xg::uniform<double>({3, 2, 3}, -1, 1, true, gen)};
  const auto y1 = xg::conv1d(line[0], line[1], {}, {.padding = 1});
  REQUIRE(xg::shape_to_string(y1.shape()) == "(3, 5)");
  for (long o = 0; o < 3; ++o)
    for (long j = 0; j < 5; ++j) {
      double total = 0;
      for (long c = 0; c < 2; ++c)
        for (long q = 0; q < 3; ++q)
          if (j + q - 1 >= 0 && j + q - 1 < 5) total += line[0].value()(c, j + q - 1) * line[1].value()(o, c, q);
      CHECK(y1.value()(o, j) == doctest::Approx(total).epsilon(1e-12));
    }
  const auto result1 = xg::autograd::gradcheck(
      [](const Inputs& t) { return xg::conv1d(t[0], t[1], {}, {.stride = 2, .padding = 1}); }, line);
  CHECK_MESSAGE(result1.passed, result1.message);
  xg::nn::BasicConv2d<double> module(4, 6, {3, 2}, {.stride = 2, .padding = 1, .groups = 2});
  CHECK(xg::shape_to_string(module(xg::zeros<double>({4, 6, 5})).shape()) == "(6, 3, 3)");
}

TEST_CASE("conv2d: the columns kept for the backward belong to their graph: two graphs alive at once") {
  xg::Generator gen(9);
  const Inputs in = {xg::uniform<double>({2, 2, 5, 5}, -1, 1, false, gen),
                     xg::uniform<double>({2, 2, 5, 5}, -1, 1, false, gen),
                     xg::uniform<double>({3, 2, 3, 3}, -1, 1, true, gen)};
  // dW = sum over images and pixels of dY (all ones) times the input patch: the direct sum, per weight entry.
  const auto expected_grad = [](const xt::xarray<double>& x) {
    xt::xarray<double> g = xt::zeros<double>({std::size_t(3), std::size_t(2), std::size_t(3), std::size_t(3)});
    for (std::size_t o = 0; o < 3; ++o)
      for (std::size_t n = 0; n < 2; ++n)
        for (std::size_t c = 0; c < 2; ++c)
          for (std::size_t ki = 0; ki < 3; ++ki)
            for (std::size_t kj = 0; kj < 3; ++kj)
              for (std::size_t i = 0; i < 3; ++i)
                for (std::size_t j = 0; j < 3; ++j) g(o, c, ki, kj) += x(n, c, i + ki, j + kj);
    return g;
  };
  const auto first = xg::sum(xg::conv2d(in[0], in[2]));
  const auto second = xg::sum(xg::conv2d(in[1], in[2]));  // taken while the first graph still holds its columns
  first.backward();
  CHECK(xt::allclose(in[2].grad(), expected_grad(in[0].value()), 1e-12, 1e-12));
  in[2].zero_grad(true);
  second.backward();
  CHECK(xt::allclose(in[2].grad(), expected_grad(in[1].value()), 1e-12, 1e-12));
}

TEST_CASE("conv2d: one number stands for both axes, as in torch") {
  xg::Generator gen(4);
  const auto x = xg::uniform<double>({1, 2, 7, 7}, -1, 1, false, gen);
  const auto w = xg::uniform<double>({3, 2, 3, 3}, -1, 1, false, gen);
  const auto both = xg::conv2d(x, w, {}, {.stride = 2, .padding = 1, .dilation = 2});
  const auto pairs = xg::conv2d(x, w, {}, {.stride = {2, 2}, .padding = {1, 1}, .dilation = {2, 2}});
  CHECK(xg::shape_to_string(both.shape()) == "(1, 3, 3, 3)");
  CHECK(both.value() == pairs.value());
}

TEST_CASE("conv2d: gradcheck of input, weight and bias in float64 with strides, padding, dilation and groups") {
  xg::Generator gen(5);
  const std::vector<ConvCase> small = {
      {{2, 4, 5, 6}, {6, 2, 3, 2}, 2, 1, 1, 2, 1, 2, 2, true},
      {{1, 2, 6, 6}, {3, 2, 2, 3}, 1, 2, 1, 0, 2, 1, 1, true},
      {{2, 3, 4, 4}, {3, 1, 3, 3}, 1, 1, 1, 1, 1, 1, 3, false},
  };
  for (const auto& k : small) {
    CAPTURE(xg::shape_to_string(k.x));
    CAPTURE(xg::shape_to_string(k.w));
    const Inputs in = {xg::uniform<double>(k.x, -1, 1, true, gen), xg::uniform<double>(k.w, -1, 1, true, gen),
                       xg::uniform<double>({k.w[0]}, -1, 1, true, gen)};
    const auto result = xg::autograd::gradcheck(
        [&](const Inputs& t) { return xg::conv2d(t[0], t[1], k.bias ? t[2] : Tensor64{}, options_of(k)); },
        k.bias ? in : Inputs{in[0], in[1]});
    CHECK_MESSAGE(result.passed, result.message);
  }
}

TEST_CASE("conv2d: a weight used twice accumulates both gradients") {
  xg::Generator gen(6);
  const Inputs in = {xg::uniform<double>({1, 2, 5, 5}, -1, 1, true, gen),
                     xg::uniform<double>({2, 2, 3, 3}, -1, 1, true, gen)};
  const auto result = xg::autograd::gradcheck(
      [](const Inputs& t) { return xg::conv2d(xg::tanh(xg::conv2d(t[0], t[1], {}, {.padding = 1})), t[1]); }, in);
  CHECK_MESSAGE(result.passed, result.message);
}

TEST_CASE("conv1d: values equal a direct convolution and gradcheck in float64") {
  xg::Generator gen(7);
  // y[n, o, j] = b[o] + sum_{c, q} x[n, first + c, j s - p + q d] w[o, c, q]
  const long N = 2, C = 4, L = 9, O = 6, K = 3, s = 2, p = 2, d = 2, groups = 2;
  const auto x = xg::uniform<double>(dims({N, C, L}), -1, 1, true, gen);
  const auto w = xg::uniform<double>(dims({O, C / groups, K}), -1, 1, true, gen);
  const auto b = xg::uniform<double>(dims({O}), -1, 1, true, gen);
  const xg::Conv1dOptions options{.stride = s, .padding = p, .dilation = d, .groups = groups};
  const auto y = xg::conv1d(x, w, b, options);
  const long OL = (L + 2 * p - d * (K - 1) - 1) / s + 1;
  REQUIRE(xg::shape_to_string(y.shape()) == xg::shape_to_string(dims({N, O, OL})));
  for (long n = 0; n < N; ++n)
    for (long o = 0; o < O; ++o)
      for (long j = 0; j < OL; ++j) {
        double total = b.value()(o);
        const long first = o / (O / groups) * (C / groups);
        for (long c = 0; c < C / groups; ++c)
          for (long q = 0; q < K; ++q) {
            const long at = j * s - p + q * d;
            if (at >= 0 && at < L) total += x.value()(n, first + c, at) * w.value()(o, c, q);
          }
        CHECK(y.value()(n, o, j) == doctest::Approx(total).epsilon(1e-12));
      }
  const auto result =
      xg::autograd::gradcheck([&](const Inputs& t) { return xg::conv1d(t[0], t[1], t[2], options); }, {x, w, b});
  CHECK_MESSAGE(result.passed, result.message);
}

TEST_CASE("conv2d, conv1d: operands that do not fit are refused, naming the op and the shapes") {
  using xg::testing::contains;
  const auto x = xg::zeros({8, 3, 8, 8});
  CHECK(message_of<xg::ShapeError>([&] {
          xg::conv2d(x, xg::zeros({16, 1, 3, 3}));
        }) == "conv2d: input of shape (8, 3, 8, 8) has 3 channels but the weight expects 1");
  CHECK(message_of<xg::ShapeError>([&] {
          xg::conv2d(xg::zeros({1, 4, 5, 5}), xg::zeros({4, 1, 3, 3}), {}, {.groups = 2});
        }) == "conv2d: input of shape (1, 4, 5, 5) has 4 channels but the weight expects 2 (1 per group, groups=2)");
  CHECK(message_of<xg::ShapeError>([&] {
          xg::conv2d(x, xg::zeros({4, 1, 3, 3}), {}, {.groups = 2});
        }) == "conv2d: groups=2 does not divide the 3 channels of the input of shape (8, 3, 8, 8)");
  CHECK_NOTHROW(xg::conv2d(x, xg::zeros({3, 1, 3, 3}), {}, {.groups = 3}));
  CHECK(message_of<xg::ShapeError>([&] {
          xg::conv2d(xg::zeros({1, 4, 5, 5}), xg::zeros({3, 2, 3, 3}), {}, {.groups = 2});
        }) == "conv2d: groups=2 does not divide the 3 output channels of the weight of shape (3, 2, 3, 3)");
  CHECK(message_of<xg::ShapeError>([&] {
          xg::conv2d(xg::zeros({1, 1, 2, 2}), xg::zeros({1, 1, 3, 3}));
        }) ==
        "conv2d: kernel of size (3, 3) does not fit in the padded input of size (2, 2) (input of shape (1, 1, 2, 2), "
        "weight of shape (1, 1, 3, 3))");
  CHECK(message_of<xg::ShapeError>([&] {
          xg::conv2d(xg::zeros({1, 1, 4, 4}), xg::zeros({1, 1, 3, 3}), {}, {.dilation = 2});
        }) ==
        "conv2d: dilated kernel of size (5, 5) does not fit in the padded input of size (4, 4) (input of shape "
        "(1, 1, 4, 4), weight of shape (1, 1, 3, 3))");
  CHECK(message_of<std::invalid_argument>([&] {
          xg::conv2d(x, xg::zeros({2, 3, 3, 3}), {}, {.stride = {0, 1}});
        }) == "conv2d: stride must be positive, got (0, 1)");
  CHECK(message_of<std::invalid_argument>([&] {
          xg::conv2d(x, xg::zeros({2, 3, 3, 3}), {}, {.padding = -1});
        }) == "conv2d: padding must be non-negative, got (-1, -1)");
  CHECK(message_of<std::invalid_argument>([&] {
          xg::conv2d(x, xg::zeros({2, 3, 3, 3}), {}, {.groups = 0});
        }) == "conv2d: groups must be positive, got 0");
  CHECK(message_of<xg::ShapeError>([&] {
          xg::conv2d(x, xg::zeros({2, 3, 3, 3}), xg::zeros({3}));
        }) == "conv2d: bias of shape (3,) does not match the 2 output channels of the weight of shape (2, 3, 3, 3)");
  CHECK(message_of<xg::ShapeError>([&] {
          xg::conv2d(xg::zeros({8, 8}), xg::zeros({2, 3, 3, 3}));
        }) == "conv2d: expects a 4-D input (N, C, H, W) or an unbatched (C, H, W), got shape (8, 8)");
  CHECK(message_of<xg::ShapeError>([&] {
          xg::conv2d(xg::zeros({3, 8, 8}), xg::zeros({16, 1, 3, 3}));
        }) == "conv2d: input of shape (3, 8, 8) has 3 channels but the weight expects 1");
  CHECK(message_of<xg::ShapeError>([&] {
          xg::conv1d(xg::zeros({2, 3, 2}), xg::zeros({4, 3, 3}));
        }) ==
        "conv1d: kernel of size 3 does not fit in the padded input of size 2 (input of shape (2, 3, 2), weight of "
        "shape (4, 3, 3))");
  CHECK(message_of<std::invalid_argument>([&] {
          xg::conv1d(xg::zeros({2, 3, 5}), xg::zeros({4, 3, 3}), {}, {.stride = 0});
        }) == "conv1d: stride must be positive, got 0");
  CHECK(contains(message_of<xg::ShapeError>([&] {
                   xg::conv1d(xg::zeros({2, 3, 5, 5}), xg::zeros({4, 3, 3}));
                 }),
                 "conv1d: expects a 3-D input (N, C, L) or an unbatched (C, L)"));
}

TEST_CASE("nn::Conv2d and Conv1d: PyTorch's shapes and initialisation bounds") {
  xg::Generator gen(21);
  xg::nn::Conv2d conv(4, 6, {3, 2}, {.stride = 2, .padding = 1, .groups = 2}, gen);
  CHECK(xg::shape_to_string(conv.weight.shape()) == "(6, 2, 3, 2)");
  CHECK(xg::shape_to_string(conv.bias.shape()) == "(6,)");
  // kaiming_uniform_(a = sqrt 5): gain sqrt(2 / 6), bound gain sqrt(3 / fan_in) = 1 / sqrt(fan_in);
  // fan_in = in / groups * kh * kw = 2 * 3 * 2 = 12, the bias's bound too.
  const double bound = 1.0 / std::sqrt(12.0);
  CHECK(xt::amax(xt::abs(conv.weight.value()))() <= bound);
  CHECK(xt::amax(xt::abs(conv.bias.value()))() <= bound);
  CHECK(xt::amax(xt::abs(conv.weight.value()))() > 0.8 * bound);  // drawn over the whole range, not a smaller one
  // (7 + 2 - 3) / 2 + 1 = 4 rows, (7 + 2 - 2) / 2 + 1 = 4 columns
  CHECK(xg::shape_to_string(conv(xg::zeros({2, 4, 7, 7})).shape()) == "(2, 6, 4, 4)");
  CHECK(conv.named_parameters().size() == 2);
  CHECK(xg::nn::Conv2d(1, 16, 3, {.bias = false}).named_parameters().size() == 1);

  xg::nn::Conv1d conv1(3, 5, 4, {.padding = 2}, gen);
  CHECK(xg::shape_to_string(conv1.weight.shape()) == "(5, 3, 4)");
  CHECK(xt::amax(xt::abs(conv1.weight.value()))() <= 1.0 / std::sqrt(12.0));
  CHECK(xg::shape_to_string(conv1(xg::zeros({2, 3, 10})).shape()) == "(2, 5, 11)");

  CHECK(message_of<std::invalid_argument>([] { xg::nn::Conv2d(3, 4, 3, {.groups = 2}); }) ==
        "Conv2d: groups=2 must divide in_channels=3 and out_channels=4");
  CHECK(message_of<std::invalid_argument>([] { xg::nn::Conv2d(0, 4, 3); }) ==
        "Conv2d: in_channels and out_channels must be positive, got 0 and 4");
  CHECK(message_of<std::invalid_argument>([] { xg::nn::Conv1d(2, 4, 0); }) ==
        "Conv1d: kernel_size must be positive, got 0");
}

TEST_CASE("nn::Flatten and Unflatten: torch's axes, the gradient reshaped back") {
  const auto x = xg::zeros({2, 3, 4, 5});
  CHECK(xg::shape_to_string(xg::nn::Flatten()(x).shape()) == "(2, 60)");
  CHECK(xg::shape_to_string(xg::nn::Flatten(0, 1)(x).shape()) == "(6, 4, 5)");
  CHECK(xg::shape_to_string(xg::nn::Flatten(-2)(x).shape()) == "(2, 3, 20)");
  CHECK(xg::shape_to_string(xg::nn::Unflatten(1, {2, 30})(xg::nn::Flatten()(x)).shape()) == "(2, 2, 30)");
  CHECK(message_of<xg::ShapeError>([&] {
          xg::nn::Unflatten(-1, {4, 4})(x);
        }) == "Unflatten: sizes (4, 4) do not multiply to the 5 elements of axis 3 of the input of shape (2, 3, 4, 5)");
  CHECK(message_of<std::invalid_argument>([&] { xg::nn::Flatten(2, 1)(x); }) ==
        "Flatten: start_dim 2 comes after end_dim 1 for an input of shape (2, 3, 4, 5)");
}

TEST_CASE("nn::Sequential{Conv2d, ReLU, MaxPool2d, Flatten, Linear}: gradcheck of the whole model in float64") {
  xg::manual_seed(22);
  xg::nn::Sequential model{xg::nn::Conv2d(2, 4, 3, {.padding = 1}), xg::nn::ReLU(), xg::nn::MaxPool2d(2),
                           xg::nn::Flatten(), xg::nn::Linear(36, 3)};
  auto model64 = model.to<double>();
  xg::Generator gen(23);
  Inputs inputs{xg::uniform<double>({2, 2, 6, 6}, -1, 1, true, gen)};
  for (const auto& [name, p] : model64.named_parameters()) inputs.push_back(p);
  REQUIRE(inputs.size() == 5);
  // The float64 copy computes what the float model does.
  const auto y32 = model(xg::tensor(xt::xarray<float>(inputs[0].value())));
  CHECK(xt::allclose(xt::xarray<double>(y32.value()), model64(inputs[0]).value(), 1e-5, 1e-5));
  const auto result = xg::autograd::gradcheck([&](const Inputs& t) { return model64(t[0]); }, inputs);
  CHECK_MESSAGE(result.passed, result.message);
}
