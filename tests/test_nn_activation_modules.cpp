// The activation modules GELU, SiLU, ELU, LeakyReLU and Softplus: their
// values against the formulas, their options kept by to<double>(), and a
// float64 gradcheck through a Sequential holding them all.

#include <doctest/doctest.h>

#include <cmath>
#include <numbers>
#include <xgrad/xgrad.hpp>

namespace nn = xg::nn;

TEST_CASE("nn activations: module values follow the formulas with their options") {
  const auto x = xg::tensor<double>({-1.5, -0.25, 0.5, 2.0});
  const auto v = x.value();
  const double pi = std::numbers::pi;
  const auto check_each = [&](nn::BasicModule<double>&& m, auto formula) {
    const auto y = m(x);
    for (std::size_t i = 0; i < v.size(); ++i) CHECK(y.value()(i) == doctest::Approx(formula(v(i))).epsilon(1e-14));
  };
  check_each(nn::BasicGELU<double>(), [](double t) { return 0.5 * t * (1.0 + std::erf(t / std::sqrt(2.0))); });
  check_each(nn::BasicGELU<double>({.approximate = "tanh"}),
             [pi](double t) { return 0.5 * t * (1.0 + std::tanh(std::sqrt(2.0 / pi) * (t + 0.044715 * t * t * t))); });
  check_each(nn::BasicSiLU<double>(), [](double t) { return t / (1.0 + std::exp(-t)); });
  check_each(nn::BasicELU<double>({.alpha = 2.0}), [](double t) { return t > 0 ? t : 2.0 * (std::exp(t) - 1.0); });
  check_each(nn::BasicLeakyReLU<double>({.negative_slope = 0.2}), [](double t) { return t > 0 ? t : 0.2 * t; });
  check_each(nn::BasicSoftplus<double>({.beta = 2.0}), [](double t) { return std::log1p(std::exp(2.0 * t)) / 2.0; });
  // Above the threshold (beta x > 1 here) softplus is x itself.
  check_each(nn::BasicSoftplus<double>({.beta = 2.0, .threshold = 1.0}),
             [](double t) { return 2.0 * t > 1.0 ? t : std::log1p(std::exp(2.0 * t)) / 2.0; });
}

TEST_CASE("nn activations: to<double>() keeps the options and the whole chain gradchecks") {
  nn::Sequential model{nn::Linear(3, 4),
                       nn::GELU({.approximate = "tanh"}),
                       nn::ELU({.alpha = 0.5}),
                       nn::LeakyReLU({.negative_slope = 0.1}),
                       nn::Softplus({.beta = 3.0, .threshold = 5.0}),
                       nn::SiLU(),
                       nn::Linear(4, 1)};
  const auto model64 = model.to<double>();
  CHECK(model64.at<nn::BasicGELU<double>>(1).options.approximate == "tanh");
  CHECK(model64.at<nn::BasicELU<double>>(2).options.alpha == 0.5);
  CHECK(model64.at<nn::BasicLeakyReLU<double>>(3).options.negative_slope == 0.1);
  CHECK(model64.at<nn::BasicSoftplus<double>>(4).options.beta == 3.0);
  CHECK(model64.at<nn::BasicSoftplus<double>>(4).options.threshold == 5.0);

  auto net = model64;  // shares the parameters: what gradcheck perturbs
  std::vector<xg::Tensor64> inputs{xg::Tensor64(xg::Array<double>{{0.3, -0.8, 1.1}, {-1.4, 0.6, 0.2}}, true)};
  for (const auto& p : net.parameters()) inputs.push_back(p);
  const auto r = xg::autograd::gradcheck([&](const auto& in) { return xg::sum(net(in[0])); }, inputs);
  CHECK_MESSAGE(r, r.message);
}
