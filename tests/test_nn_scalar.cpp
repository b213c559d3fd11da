// Modules in float32 and float64: to<T>() copies of whole models, buffers in
// the saved state, and a module template of one's own written as
// nn/module.hpp tells users to.

#include <doctest/doctest.h>

#include <cmath>
#include <string>
#include <xgrad/xgrad.hpp>

#include "exception_message.hpp"

namespace {

namespace nn = xg::nn;
using xg::testing::contains;
using xg::testing::message_of;

// A module with a buffer, as BatchNorm holds its running statistics: y =
// scale * x, and in training mode running_mean <- 0.5 running_mean + 0.5
// mean(x) over the batch (one value per feature).
template <class S>
class BasicScaleTracker : public nn::Convertible<BasicScaleTracker, S> {
 public:
  explicit BasicScaleTracker(std::size_t features)
      : scale(xg::ones<S>({features}, true)), running_mean(xg::zeros<S>({features})) {}

  xg::BasicTensor<S> forward(const xg::BasicTensor<S>& x) override {
    if (this->is_training()) {
      auto& m = running_mean.value();
      const auto& v = x.value();
      for (std::size_t j = 0; j < m.size(); ++j) {
        S sum = 0;
        for (std::size_t i = 0; i < v.shape()[0]; ++i) sum += v(i, j);
        m(j) = S(0.5) * m(j) + S(0.5) * sum / static_cast<S>(v.shape()[0]);
      }
    }
    return x * scale;
  }

  template <class T>
  BasicScaleTracker<T> converted() const {
    BasicScaleTracker<T> out(scale.numel());
    out.scale = this->template converted_tensor<T>(scale);
    out.running_mean = this->template converted_tensor<T>(running_mean);
    return out;
  }

  xg::BasicTensor<S> scale, running_mean;

 protected:
  xg::NamedTensors<S> local_parameters() const override { return {{"scale", scale}}; }
  xg::NamedTensors<S> local_buffers() const override { return {{"running_mean", running_mean}}; }
};

// A module of one's own that does not say how to convert itself.
class Unconvertible : public nn::Module {
 public:
  xg::Tensor forward(const xg::Tensor& x) override { return x; }
};

}  // namespace

TEST_CASE("nn scalar: to<double>() of Linear-Tanh-Linear gives the float model's values and passes gradcheck") {
  xg::Generator g(7);
  nn::Sequential model{nn::Linear(3, 4, true, g), nn::Tanh(), nn::Linear(4, 2, true, g)};
  nn::BasicSequential<double> model64 = model.to<double>();

  const auto params = model.named_parameters();
  const auto params64 = model64.named_parameters();
  REQUIRE(params64.size() == 4);
  for (std::size_t i = 0; i < params.size(); ++i) {
    CHECK(params64[i].first == params[i].first);
    CHECK(params64[i].second.requires_grad());
    CHECK(params64[i].second.node() != nullptr);
    // float -> double is exact.
    for (std::size_t k = 0; k < params[i].second.numel(); ++k)
      CHECK(params64[i].second.value().data()[k] == static_cast<double>(params[i].second.value().data()[k]));
  }

  auto x = xg::randn<float>({5, 3}, false, g);
  auto x64 = xg::BasicTensor<double>(xg::Array<double>(x.value()), true);
  const auto y = model(x);
  const auto y64 = model64(x64);
  REQUIRE(y64.shape() == y.shape());
  // Float32 rounding through two small layers: a few ulps of values below 2.
  for (std::size_t k = 0; k < y.numel(); ++k) CHECK(std::abs(y64.value().data()[k] - y.value().data()[k]) <= 1e-6);

  std::vector<xg::Tensor64> inputs{x64};
  for (const auto& p : model64.parameters()) inputs.push_back(p);
  const auto result = xg::autograd::gradcheck(
      [&](const std::vector<xg::Tensor64>& in) { return xg::sum(model64(in[0]) * model64(in[0])); }, inputs);
  CHECK_MESSAGE(result, result.message);
}

TEST_CASE("nn scalar: to<T>() is a deep copy keeping options, bias-free layers and training modes") {
  nn::Sequential model{nn::Linear(2, 3, false), nn::Dropout(0.25), nn::Softmax(-1),
                       nn::Sequential{nn::ReLU(), nn::LogSoftmax(0), nn::Sigmoid()}};
  model.at<nn::Sequential>(3).eval();  // a child in another mode than its parent

  const auto copy = model.to<float>();
  REQUIRE(copy.size() == 4);
  CHECK(copy.named_parameters().size() == 1);
  CHECK(copy.named_parameters()[0].second.node() != model.named_parameters()[0].second.node());
  copy.named_parameters()[0].second.value()(0, 0) += 1.0f;
  CHECK(copy.named_parameters()[0].second.value()(0, 0) != model.named_parameters()[0].second.value()(0, 0));

  const auto model64 = model.to<double>();
  CHECK_FALSE(model64.at<nn::BasicLinear<double>>(0).bias.defined());
  CHECK(model64.at<nn::BasicDropout<double>>(1).p() == 0.25);
  CHECK(model64.at<nn::BasicSoftmax<double>>(2).axis() == -1);
  CHECK(model64.is_training());
  CHECK(model64.at<nn::BasicDropout<double>>(1).is_training());
  const auto& inner = model64.at<nn::BasicSequential<double>>(3);
  CHECK_FALSE(inner.is_training());
  CHECK_FALSE(inner[0].is_training());
  CHECK(inner.at<nn::BasicLogSoftmax<double>>(1).axis() == 0);
  CHECK_NOTHROW(inner.at<nn::BasicSigmoid<double>>(2));

  // And back: to<float>() of the float64 copy holds the same values.
  const auto back = model64.to<float>();
  CHECK(back.named_parameters()[0].second.value() == model.named_parameters()[0].second.value());
}

TEST_CASE("nn scalar: an EmbeddingBag converts, and its float64 copy gives the float one's sums") {
  xg::Generator g(3);
  nn::EmbeddingBag bag(5, 2, {.mode = nn::EmbeddingBagMode::mean}, g);
  const auto bag64 = bag.to<double>();
  CHECK(bag64.mode() == nn::EmbeddingBagMode::mean);
  xg::CsrMatrix<double> bags;
  bags.rows = 1;
  bags.cols = 5;
  bags.row_ptr = {0, 2};
  bags.col = {1, 3};
  bags.val = {1, 1};
  const auto y = const_cast<nn::BasicEmbeddingBag<double>&>(bag64)(bags);
  const auto& w = bag.weight.value();
  for (std::size_t j = 0; j < 2; ++j)
    CHECK(y.value()(0, j) == doctest::Approx((double{w(1, j)} + double{w(3, j)}) / 2.0).epsilon(1e-15));
}

TEST_CASE("nn scalar: a module without converted() says which type cannot convert") {
  nn::Sequential model{nn::Linear(2, 2), Unconvertible()};
  CHECK(contains(message_of<std::logic_error>([&] { model.to<double>(); }),
                 "Module::to<double>: (anonymous namespace)::Unconvertible does not override to_double()"));
}

TEST_CASE("nn scalar: buffers are named, saved after each module's parameters, converted and loaded") {
  nn::Sequential model{nn::Linear(2, 2), BasicScaleTracker<float>(2)};
  const auto buffers = model.named_buffers();
  REQUIRE(buffers.size() == 1);
  CHECK(buffers[0].first == "1.running_mean");
  CHECK_FALSE(buffers[0].second.requires_grad());
  CHECK(model.named_parameters().size() == 3);  // buffers are not parameters: an optimizer never sees them

  // running_mean <- 0.5 * 0 + 0.5 * mean over the batch of Linear's output.
  auto x = xg::tensor({{1.0f, 2.0f}, {3.0f, 4.0f}});
  const auto h = model.at<nn::Linear>(0)(x);
  model(x);
  for (std::size_t j = 0; j < 2; ++j)
    CHECK(buffers[0].second.value()(j) == doctest::Approx(0.5 * (h.value()(0, j) + h.value()(1, j)) / 2.0));
  model.eval();
  const auto frozen = buffers[0].second.value();
  model(x);
  CHECK(buffers[0].second.value() == frozen);

  const auto state = model.state_dict();
  CHECK(state.names() == std::vector<std::string>{"0.weight", "0.bias", "1.scale", "1.running_mean"});

  const auto model64 = model.to<double>();
  CHECK(model64.named_buffers()[0].second.value()(1) == static_cast<double>(frozen(1)));
  model64.named_buffers()[0].second.value()(1) += 1.0;
  CHECK(buffers[0].second.value()(1) == frozen(1));
  CHECK_FALSE(model64.is_training());

  nn::Sequential fresh{nn::Linear(2, 2), BasicScaleTracker<float>(2)};
  fresh.load_state_dict(state);
  CHECK(fresh.named_buffers()[0].second.value() == frozen);

  // A buffer of the wrong shape is refused by name, and nothing changes.
  xg::io::Archive bad = state;
  bad.put("1.running_mean", xg::Array<float>::from_shape({3}));
  const auto before = fresh.named_parameters()[0].second.value();
  CHECK(contains(message_of<xg::ShapeError>([&] { fresh.load_state_dict(bad); }),
                 "Module::load_state_dict: buffer '1.running_mean' has shape (2,) in the model but (3,) in the state"));
  xg::io::Archive non_finite = state;
  non_finite.put("1.running_mean", xg::Array<float>{1.0f, NAN});
  CHECK(contains(message_of<std::invalid_argument>([&] { fresh.load_state_dict(non_finite); }),
                 "buffer '1.running_mean' holds NaN at flat index 1"));
  xg::io::Archive missing;
  for (const auto& name : {"0.weight", "0.bias", "1.scale"}) missing.put(name, state.get_array<float>(name));
  CHECK(contains(message_of<std::invalid_argument>([&] { fresh.load_state_dict(missing); }),
                 "Missing from the state: '1.running_mean'"));
  CHECK(fresh.named_parameters()[0].second.value() == before);
}

TEST_CASE("nn scalar: a float64 model's state_dict, file and safetensors keep float64 values") {
  // 0.1 has no float32 representation: it survives only in float64.
  nn::BasicSequential<double> model{nn::BasicLinear<double>(2, 1), BasicScaleTracker<double>(1)};
  model.at<nn::BasicLinear<double>>(0).weight.value()(0, 0) = 0.1;
  model.named_buffers()[0].second.value()(0) = 1.0 / 3.0;

  nn::BasicSequential<double> fresh{nn::BasicLinear<double>(2, 1), BasicScaleTracker<double>(1)};
  fresh.load_state_dict(model.state_dict());
  CHECK(fresh.at<nn::BasicLinear<double>>(0).weight.value()(0, 0) == 0.1);
  CHECK(fresh.named_buffers()[0].second.value()(0) == 1.0 / 3.0);

  const auto bytes = xg::nn::safetensors_bytes(model.named_state());
  CHECK(contains(bytes, "\"dtype\":\"F64\""));
  CHECK(contains(bytes, "\"1.running_mean\""));
  nn::BasicSequential<double> from_file{nn::BasicLinear<double>(2, 1), BasicScaleTracker<double>(1)};
  xg::nn::load_safetensors_bytes(from_file, bytes, "model64");
  CHECK(from_file.at<nn::BasicLinear<double>>(0).weight.value()(0, 0) == 0.1);
  CHECK(from_file.named_buffers()[0].second.value()(0) == 1.0 / 3.0);

  // The float model of the same architecture reads the float64 state, rounded.
  nn::Sequential model32{nn::Linear(2, 1), BasicScaleTracker<float>(1)};
  model32.load_state_dict(model.state_dict());
  CHECK(model32.at<nn::Linear>(0).weight.value()(0, 0) == 0.1f);
  CHECK(contains(xg::nn::safetensors_bytes(model32.named_state()), "\"dtype\":\"F32\""));
}

TEST_CASE("nn scalar: optimizers step a float64 model's parameters") {
  nn::BasicSequential<double> model{nn::BasicLinear<double>(2, 1, false)};
  auto& w = model.at<nn::BasicLinear<double>>(0).weight;
  w.value() = xg::Array<double>{{1.0, -2.0}};
  xg::optim::SGD<double> sgd(model.named_parameters(), {.lr = 0.5});
  auto loss = xg::sum(model(xg::tensor<double>({{3.0, 4.0}})));
  loss.backward();
  sgd.step();
  // d loss / d w = x = (3, 4): w - 0.5 x.
  CHECK(w.value()(0, 0) == 1.0 - 0.5 * 3.0);
  CHECK(w.value()(0, 1) == -2.0 - 0.5 * 4.0);
}
