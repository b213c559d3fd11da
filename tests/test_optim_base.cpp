// The machinery every optimizer shares: construction, parameter groups,
// skipping, zero_grad, the learning-rate and momentum hooks, and the checks
// on options and parameters.

#include <cmath>
#include <limits>
#include <optional>
#include <stdexcept>
#include <string>
#include <type_traits>
#include <vector>

#include <doctest/doctest.h>

#include <xgrad/optim/optim.hpp>
#include <xgrad/xgrad.hpp>

#include "exception_message.hpp"

namespace {

using xg::testing::contains;
using xg::testing::message_of;

}  // namespace

TEST_CASE("Optimizers: class template argument deduction picks float or double from the parameters") {
  std::vector<xg::Tensor> floats{xg::zeros({2}, true)};
  std::vector<xg::Tensor64> doubles{xg::zeros<double>({2}, true)};
  xg::NamedTensors<double> named{{"w", xg::zeros<double>({2}, true)}};
  xg::optim::Adagrad a(floats, {.lr = 0.1, .lr_decay = 1e-4});
  xg::optim::Adagrad b(doubles, {.lr = 0.1});
  xg::optim::Adam c(named);
  xg::optim::SGD d({doubles[0]}, {.lr = 0.5});
  static_assert(std::is_same_v<decltype(a), xg::optim::Adagrad<float>>);
  static_assert(std::is_same_v<decltype(b), xg::optim::Adagrad<double>>);
  static_assert(std::is_same_v<decltype(c), xg::optim::Adam<double>>);
  static_assert(std::is_same_v<decltype(d), xg::optim::SGD<double>>);
  CHECK(a.lr() == 0.1);
  CHECK(a.options().lr_decay == 1e-4);
  CHECK(c.lr() == 1e-3);
  CHECK(d.lr() == 0.5);
}

TEST_CASE("Optimizers: defaults are PyTorch's keyword defaults") {
  CHECK(xg::optim::SGDOptions{}.momentum == 0);
  CHECK(xg::optim::AdagradOptions{}.lr == 0.01);
  CHECK(xg::optim::AdagradOptions{}.eps == 1e-10);
  CHECK(xg::optim::RMSpropOptions{}.alpha == 0.99);
  CHECK(xg::optim::RMSpropOptions{}.eps == 1e-8);
  CHECK(xg::optim::AdadeltaOptions{}.lr == 1.0);
  CHECK(xg::optim::AdadeltaOptions{}.rho == 0.9);
  CHECK(xg::optim::AdadeltaOptions{}.eps == 1e-6);
  CHECK(xg::optim::AdamOptions{}.betas == std::array<double, 2>{0.9, 0.999});
  CHECK(xg::optim::AdamWOptions{}.weight_decay == 0.01);
  CHECK(xg::optim::AdamaxOptions{}.lr == 0.002);
  CHECK(xg::optim::NAdamOptions{}.momentum_decay == 0.004);
  CHECK(xg::optim::RAdamOptions{}.lr == 0.001);
}

TEST_CASE("Optimizers: parameters without a gradient are skipped and get no state") {
  auto with = xg::zeros<double>({2}, true), without = xg::ones<double>({3}, true);
  xg::optim::Adam optimizer(std::vector{with, without}, {.lr = 0.1});
  with.grad() = xg::Array<double>{1.0, -1.0};
  optimizer.step();
  // Adam's first step moves each coordinate by lr against the gradient's sign.
  CHECK(with.value()(0) == doctest::Approx(-0.1));
  CHECK(with.value()(1) == doctest::Approx(0.1));
  CHECK(without.value() == xg::Array<double>{1.0, 1.0, 1.0});
  CHECK(optimizer.step_count(with) == 1);
  CHECK(optimizer.step_count(without) == 0);
  CHECK_THROWS_AS(optimizer.state(without, "exp_avg"), std::invalid_argument);
}

TEST_CASE(
    "Optimizers: zero_grad drops the gradients (set_to_none, as torch.optim since 2.0), or zeroes them in place") {
  auto w = xg::zeros<double>({2}, true);
  xg::optim::SGD optimizer(std::vector{w}, {.lr = 0.1});
  w.grad() = xg::Array<double>{3.0, 4.0};
  optimizer.zero_grad(false);
  CHECK(w.has_grad());
  CHECK(w.grad() == xg::Array<double>{0.0, 0.0});
  optimizer.zero_grad();
  CHECK_FALSE(w.has_grad());
  w.grad() = xg::Array<double>{3.0, 4.0};
  optimizer.zero_grad(true);
  CHECK_FALSE(w.has_grad());
  optimizer.step();  // nothing to do: no gradient
  CHECK(w.value() == xg::Array<double>{0.0, 0.0});
}

TEST_CASE("Optimizers: each parameter group steps with its own options") {
  auto a = xg::zeros<double>({1}, true), b = xg::zeros<double>({1}, true), c = xg::zeros<double>({1}, true);
  xg::optim::SGD optimizer(std::vector{a}, {.lr = 0.1, .momentum = 0.5});
  optimizer.add_param_group(std::vector{b}, {.lr = 0.2});  // given whole: momentum 0
  optimizer.add_param_group(std::vector{c});               // the optimizer's defaults
  REQUIRE(optimizer.num_param_groups() == 3);
  CHECK(optimizer.param_groups()[1].params.size() == 1);
  CHECK(optimizer.options(1).momentum == 0);
  CHECK(optimizer.options(2).momentum == 0.5);
  for (int step = 0; step < 2; ++step) {
    for (auto* p : {&a, &b, &c}) p->grad() = xg::Array<double>{1.0};
    optimizer.step();
  }
  // a and c: buffer 1 then 0.5·1 + 1 = 1.5, so θ = -0.1·1 - 0.1·1.5 = -0.25.
  // b: plain steps of 0.2.
  CHECK(a.value()(0) == doctest::Approx(-0.25));
  CHECK(b.value()(0) == doctest::Approx(-0.4));
  CHECK(c.value()(0) == doctest::Approx(-0.25));
}

TEST_CASE("Optimizers: lr and set_lr for every group or one, as learning-rate schedules use them") {
  auto a = xg::zeros<double>({1}, true), b = xg::zeros<double>({1}, true);
  xg::optim::RMSprop optimizer(std::vector{a});
  optimizer.add_param_group(std::vector{b}, {.lr = 0.5});
  xg::optim::OptimizerBase& base = optimizer;
  CHECK(base.lr() == 0.01);
  CHECK(base.lr(1) == 0.5);
  base.set_lr(0.25);
  CHECK(base.lr(0) == 0.25);
  CHECK(base.lr(1) == 0.25);
  base.set_lr(0.125, 1);
  CHECK(base.lr(0) == 0.25);
  CHECK(base.lr(1) == 0.125);
  CHECK(contains(message_of<std::invalid_argument>([&] { base.lr(2); }), "no group 2"));
  CHECK(contains(message_of<std::invalid_argument>([&] { base.set_lr(-1); }), "lr = -1"));
  CHECK(base.lr(0) == 0.25);
}

TEST_CASE("Optimizers: momentum hooks read and set momentum or beta1, and are empty without either") {
  auto w = xg::zeros<double>({1}, true);
  xg::optim::SGD sgd(std::vector{w}, {.lr = 0.1, .momentum = 0.9});
  xg::optim::Adam adam(std::vector{w});
  xg::optim::Adagrad adagrad(std::vector{w});
  CHECK(sgd.momentum() == std::optional<double>(0.9));
  CHECK(adam.momentum() == std::optional<double>(0.9));
  CHECK_FALSE(adagrad.momentum().has_value());
  sgd.set_momentum(0.8, 0);
  adam.set_momentum(0.85, 0);
  CHECK(sgd.options().momentum == 0.8);
  CHECK(adam.options().betas[0] == 0.85);
  CHECK(adam.options().betas[1] == 0.999);
  CHECK(contains(message_of<std::invalid_argument>([&] { adagrad.set_momentum(0.9, 0); }), "no momentum"));
  CHECK(contains(message_of<std::invalid_argument>([&] { adam.set_momentum(1.0, 0); }), "betas[0] = 1"));
  CHECK(adam.options().betas[0] == 0.85);
}

TEST_CASE("Optimizers: invalid options throw std::invalid_argument naming the option and its value") {
  auto w = xg::zeros<double>({1}, true);
  const std::vector<xg::Tensor64> p{w};
  using namespace xg::optim;
  auto rejects = [](auto construct, const std::string& what) {
    CHECK_MESSAGE(contains(message_of<std::invalid_argument>(construct), what), what);
  };
  rejects([&] { SGD(p, {.lr = -1}); }, "SGD: invalid lr = -1 (must be >= 0)");
  rejects([&] { Adagrad(p, {.lr = -0.5}); }, "Adagrad: invalid lr = -0.5");
  rejects([&] { RMSprop(p, {.lr = -1}); }, "RMSprop: invalid lr = -1");
  rejects([&] { Adadelta(p, {.lr = -1}); }, "Adadelta: invalid lr = -1");
  rejects([&] { Adam(p, {.lr = -1}); }, "Adam: invalid lr = -1");
  rejects([&] { AdamW(p, {.lr = -1}); }, "AdamW: invalid lr = -1");
  rejects([&] { Adamax(p, {.lr = -1}); }, "Adamax: invalid lr = -1");
  rejects([&] { NAdam(p, {.lr = -1}); }, "NAdam: invalid lr = -1");
  rejects([&] { RAdam(p, {.lr = -1}); }, "RAdam: invalid lr = -1");
  rejects([&] { Adam(p, {.betas = {1.0, 0.999}}); }, "Adam: invalid betas[0] = 1 (must be in [0, 1))");
  rejects([&] { AdamW(p, {.betas = {0.9, -0.1}}); }, "AdamW: invalid betas[1] = -0.1");
  rejects([&] { Adamax(p, {.betas = {0.9, 1.5}}); }, "Adamax: invalid betas[1] = 1.5");
  rejects([&] { NAdam(p, {.betas = {-0.5, 0.9}}); }, "NAdam: invalid betas[0] = -0.5");
  rejects([&] { RAdam(p, {.betas = {0.9, 1.0}}); }, "RAdam: invalid betas[1] = 1");
  rejects([&] { Adam(p, {.eps = 0}); }, "Adam: invalid eps = 0 (must be > 0)");
  rejects([&] { Adagrad(p, {.eps = -1e-10}); }, "Adagrad: invalid eps = -1e-10");
  rejects([&] { RMSprop(p, {.eps = 0}); }, "RMSprop: invalid eps = 0");
  rejects([&] { Adadelta(p, {.rho = 1.5}); }, "Adadelta: invalid rho = 1.5 (must be in [0, 1])");
  rejects([&] { Adadelta(p, {.rho = -0.1}); }, "Adadelta: invalid rho = -0.1");
  rejects([&] { RMSprop(p, {.alpha = 2}); }, "RMSprop: invalid alpha = 2");
  rejects([&] { SGD(p, {.momentum = -0.9}); }, "SGD: invalid momentum = -0.9");
  rejects([&] { SGD(p, {.weight_decay = -1}); }, "SGD: invalid weight_decay = -1");
  rejects([&] { Adagrad(p, {.lr_decay = -1}); }, "Adagrad: invalid lr_decay = -1");
  rejects([&] { Adagrad(p, {.initial_accumulator_value = -1}); }, "Adagrad: invalid initial_accumulator_value = -1");
  rejects([&] { NAdam(p, {.momentum_decay = -1}); }, "NAdam: invalid momentum_decay = -1");
  rejects([&] { SGD(p, {.lr = std::nan("")}); }, "SGD: invalid lr = nan");
  rejects([&] { SGD(p, {.dampening = std::numeric_limits<double>::infinity()}); }, "SGD: invalid dampening = inf");
  rejects([&] { SGD(p, {.lr = 0.1, .nesterov = true}); }, "nesterov requires momentum > 0 and dampening = 0");
  // Boundaries that are valid: beta 0, rho 0 and 1, lr 0.
  CHECK_NOTHROW(Adam(p, {.lr = 0, .betas = {0.0, 0.0}}));
  CHECK_NOTHROW(Adadelta(p, {.rho = 1}));
  CHECK_NOTHROW(Adadelta(p, {.rho = 0}));
}

TEST_CASE("Optimizers: options changed to an invalid value are caught at the next step, before any update") {
  auto a = xg::zeros<double>({1}, true), b = xg::zeros<double>({1}, true);
  xg::optim::Adam optimizer(std::vector{a});
  optimizer.add_param_group(std::vector{b});
  optimizer.options(1).eps = -1;
  a.grad() = xg::Array<double>{1.0};
  b.grad() = xg::Array<double>{1.0};
  CHECK(contains(message_of<std::invalid_argument>([&] { optimizer.step(); }), "Adam: invalid eps = -1"));
  CHECK(a.value()(0) == 0);
  CHECK(optimizer.step_count(a) == 0);
}

TEST_CASE("Optimizers: bad parameter lists are rejected with the reason") {
  auto w = xg::zeros<double>({2}, true);
  using xg::optim::SGD;
  auto invalid = [](auto f) { return message_of<std::invalid_argument>(f); };
  CHECK(contains(invalid([] { SGD(std::vector<xg::Tensor64>{}); }), "empty parameter list"));
  CHECK(contains(invalid([&] { SGD(std::vector{w, w}); }), "appears more than once"));
  CHECK(contains(invalid([&] { SGD(std::vector{w * 2.0}); }), "not a leaf"));
  CHECK(contains(invalid([] { SGD(std::vector{xg::Tensor64()}); }), "undefined"));
  CHECK(contains(invalid([&] {
                   SGD(xg::NamedTensors<double>{{"w", w}, {"w", xg::zeros<double>({1}, true)}});
                 }),
                 "the name 'w' is given to more than one parameter"));
  SGD named(xg::NamedTensors<double>{{"w", w}});
  CHECK(contains(invalid([&] { named.add_param_group(std::vector{xg::zeros<double>({1}, true)}); }),
                 "every group must be named"));
  CHECK(contains(invalid([&] {
                   named.add_param_group(xg::NamedTensors<double>{{"v", w}});
                 }),
                 "appears more than once"));
}

TEST_CASE("Optimizers: a gradient of the wrong shape throws a ShapeError and changes nothing") {
  auto a = xg::zeros<double>({2}, true), b = xg::zeros<double>({2}, true);
  xg::optim::SGD optimizer(std::vector{a, b}, {.lr = 0.1});
  a.grad() = xg::Array<double>{1.0, 1.0};
  b.grad() = xg::Array<double>{1.0, 1.0, 1.0};
  const std::string what = message_of<xg::ShapeError>([&] { optimizer.step(); });
  CHECK(contains(what, "SGD.step"));
  CHECK(contains(what, "parameter 1 of group 0 has shape (3,)"));
  CHECK(a.value() == xg::Array<double>{0.0, 0.0});
}

TEST_CASE("Optimizers: state() gives PyTorch's named buffers and explains what is missing") {
  auto w = xg::zeros<double>({2}, true);
  xg::optim::Adam optimizer(std::vector{w});
  w.grad() = xg::Array<double>{2.0, -4.0};
  optimizer.step();
  // m = (1 - 0.9)·g, v = (1 - 0.999)·g².
  CHECK(optimizer.state(w, "exp_avg")(0) == doctest::Approx(0.2));
  CHECK(optimizer.state(w, "exp_avg_sq")(1) == doctest::Approx(0.016));
  CHECK(contains(message_of<std::invalid_argument>([&] { optimizer.state(w, "max_exp_avg_sq"); }),
                 "not used with this parameter's options"));
  CHECK(contains(message_of<std::invalid_argument>([&] { optimizer.state(w, "momentum"); }),
                 "has no state named 'momentum' (it has 'exp_avg', 'exp_avg_sq', 'max_exp_avg_sq')"));
}

TEST_CASE("Optimizers: a training loop through autograd reaches the minimum (float, every optimizer)") {
  // f(w) = sum((w - target)^2); every optimizer gets within 0.05 of the target.
  const auto target = xg::tensor(xg::Array<float>{1.0f, -2.0f, 0.5f});
  auto train = [&](auto make) {
    auto w = xg::zeros({3}, true);
    auto optimizer = make(std::vector{w});
    for (int i = 0; i < 500; ++i) {
      optimizer.zero_grad();
      auto d = w - target;
      xg::sum(d * d).backward();
      optimizer.step();
    }
    for (std::size_t i = 0; i < 3; ++i) CHECK(std::abs(w.value()(i) - target.value()(i)) < 0.05f);
  };
  using namespace xg::optim;
  train([](auto p) { return SGD(p, {.lr = 0.1, .momentum = 0.9, .nesterov = true}); });
  train([](auto p) { return Adagrad(p, {.lr = 0.5}); });
  train([](auto p) { return RMSprop(p, {.lr = 0.01, .centered = true}); });
  train([](auto p) { return Adadelta(p, {.lr = 10}); });
  train([](auto p) { return Adam(p, {.lr = 0.05, .amsgrad = true}); });
  train([](auto p) { return AdamW(p, {.lr = 0.05, .weight_decay = 0}); });
  train([](auto p) { return Adamax(p, {.lr = 0.05}); });
  train([](auto p) { return NAdam(p, {.lr = 0.05}); });
  train([](auto p) { return RAdam(p, {.lr = 0.05}); });
}
