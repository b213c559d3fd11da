// A step that throws, in the middle of the forward pass or inside backward,
// leaves model and optimizer as they were: a training loop that catches the
// error and carries on ends with exactly the weights of a loop that never
// made the bad call, and the failed step's graph is released.

#include <cstddef>
#include <exception>
#include <functional>
#include <string>
#include <vector>

#include <doctest/doctest.h>

#include <xgrad/xgrad.hpp>

namespace {

using Labels = std::vector<std::size_t>;

struct TwoLayerNet {
  xg::nn::Linear first{4, 8};
  xg::nn::Linear second{8, 3};

  xg::Tensor forward(const xg::Tensor& x) { return second(xg::tanh(first(x))); }
  xg::NamedTensors<float> named_parameters() const {
    auto params = first.named_parameters();
    for (auto& [name, p] : second.named_parameters()) params.emplace_back("second." + name, p);
    return params;
  }
};

const xg::Tensor& batch() {
  static const auto x = xg::tensor<float>(xg::Array<float>{{0.5f, -1.0f, 2.0f, 0.0f},
                                                           {1.5f, 0.25f, -0.5f, 1.0f},
                                                           {-2.0f, 0.75f, 0.5f, -1.5f},
                                                           {0.0f, 1.0f, 1.0f, 0.5f},
                                                           {1.0f, -0.5f, -1.0f, 2.0f}});
  return x;
}
const Labels labels{0, 2, 1, 1, 0};

void good_step(TwoLayerNet& net, xg::optim::Adam<float>& optimizer) {
  optimizer.zero_grad();
  xg::nn::functional::cross_entropy(net.forward(batch()), labels).backward();
  optimizer.step();
}

using BadStep = std::function<void(TwoLayerNet&, xg::optim::Adam<float>&)>;

// Trains three good steps, with `bad_step` tried after the first (it must
// throw an Expected); returns the final parameter values.
template <class Expected>
std::vector<xg::Array<float>> train(const BadStep& bad_step) {
  xg::manual_seed(7);
  TwoLayerNet net;
  xg::optim::Adam<float> optimizer(net.named_parameters(), {.lr = 0.05});
  const long nodes_before = xg::autograd::live_nodes();
  good_step(net, optimizer);
  if (bad_step) {
    CHECK_THROWS_AS(bad_step(net, optimizer), Expected);
    CHECK(xg::autograd::live_nodes() == nodes_before);
  }
  good_step(net, optimizer);
  good_step(net, optimizer);
  std::vector<xg::Array<float>> values;
  for (const auto& [name, p] : net.named_parameters()) values.push_back(p.value());
  return values;
}

void check_same_weights(const std::vector<xg::Array<float>>& got, const std::vector<xg::Array<float>>& expected) {
  REQUIRE(got.size() == expected.size());
  for (std::size_t i = 0; i < got.size(); ++i) CHECK(got[i] == expected[i]);
}

}  // namespace

TEST_CASE("exception safety: a shape error in the middle of the forward pass leaves model and optimizer usable") {
  const auto expected = train<std::exception>(nullptr);
  const auto got = train<xg::ShapeError>([](TwoLayerNet& net, xg::optim::Adam<float>& optimizer) {
    optimizer.zero_grad();
    // The first layer runs and records its ops; the second gets (8, 5)
    // instead of (5, 8) and throws a ShapeError from its matmul.
    const auto hidden = xg::tanh(net.first(batch()));
    net.second(hidden.T());
  });
  check_same_weights(got, expected);
}

TEST_CASE("exception safety: a shape error in the loss, after the whole forward, leaves them usable") {
  const auto expected = train<std::exception>(nullptr);
  const auto got = train<xg::ShapeError>([](TwoLayerNet& net, xg::optim::Adam<float>& optimizer) {
    optimizer.zero_grad();
    const Labels too_few{0, 1};
    xg::nn::functional::cross_entropy(net.forward(batch()), too_few).backward();
    optimizer.step();
  });
  check_same_weights(got, expected);
}

TEST_CASE("exception safety: an error thrown inside backward leaves model and optimizer usable") {
  const auto expected = train<std::exception>(nullptr);
  const auto got = train<xg::AnomalyError>([](TwoLayerNet& net, xg::optim::Adam<float>& optimizer) {
    xg::autograd::detect_anomaly guard;
    optimizer.zero_grad();
    // The penalty is sqrt(0) = 0, but its derivative is infinite, so the
    // backward pass throws AnomalyError partway, after some gradients have
    // already reached the weights.
    const auto out = net.forward(batch());
    const auto penalty = xg::sum(xg::sqrt(out - net.forward(batch())));
    (xg::nn::functional::cross_entropy(out, labels) + penalty).backward();
    optimizer.step();
  });
  check_same_weights(got, expected);
}

TEST_CASE("exception safety: a backward refused in anomaly mode leaves every gradient as it was, not partial") {
  xg::manual_seed(7);
  TwoLayerNet net;
  xg::optim::Adam<float> optimizer(net.named_parameters(), {.lr = 0.05});
  good_step(net, optimizer);  // the gradients of this step stay in .grad
  std::vector<xg::Array<float>> before;
  for (const auto& [name, p] : net.named_parameters()) before.push_back(p.grad());
  {
    xg::autograd::detect_anomaly guard;
    // No zero_grad: the refused pass would add to these gradients. The
    // penalty sqrt(b - b) = 0 has an infinite derivative, which anomaly mode
    // refuses; the engine reaches it last (the first input's subtree is
    // ordered after the second's), when the loss's gradient has already
    // reached every weight.
    const auto penalty = xg::sum(xg::sqrt(net.first.bias - net.first.bias));
    const auto loss = penalty + xg::nn::functional::cross_entropy(net.forward(batch()), labels);
    CHECK_THROWS_AS(loss.backward(), xg::AnomalyError);
  }
  const auto params = net.named_parameters();
  for (std::size_t i = 0; i < params.size(); ++i) {
    const std::string& name = params[i].first;
    CAPTURE(name);
    REQUIRE(params[i].second.has_grad());
    CHECK(params[i].second.grad() == before[i]);
  }
}
