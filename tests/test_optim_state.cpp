// Optimizer state: a run stopped at step k and resumed from the saved model
// and optimizer continues bit-identically with the uninterrupted run, for
// every optimizer; state is keyed by parameter name, so a changed model is an
// error rather than silently mis-assigned state.

#include <cstdio>
#include <filesystem>
#include <stdexcept>
#include <string>
#include <vector>

#include <doctest/doctest.h>

#include <xgrad/optim/optim.hpp>
#include <xgrad/xgrad.hpp>

#include "exception_message.hpp"

namespace {

using xg::testing::contains;
using xg::testing::message_of;

// Least squares: loss = sum((A·w + b - y)^2) with w of 3 and b of 4 values.
struct Model {
  xg::Tensor w, b;

  explicit Model(float start)
      : w(xg::tensor(xg::Array<float>{start, -0.25f, 1.0f}, true)),
        b(xg::tensor(xg::Array<float>{0.1f, 0.0f, -0.1f, start}, true)) {}

  xg::NamedTensors<float> named_parameters() const { return {{"w", w}, {"b", b}}; }

  void train_step(xg::optim::OptimizerBase& optimizer) const {
    static const auto a = xg::tensor(
        xg::Array<float>{{1.0f, 2.0f, 0.5f}, {-1.0f, 0.5f, 1.5f}, {0.25f, -2.0f, 1.0f}, {3.0f, 1.0f, -0.5f}});
    static const auto y = xg::tensor(xg::Array<float>{1.0f, -1.0f, 0.5f, 2.0f});
    optimizer.zero_grad();
    auto r = xg::matmul(a, w) + b - y;
    xg::sum(r * r).backward();
    optimizer.step();
  }
};

template <class Optimizer>
void check_resume(const typename Optimizer::options_type& options) {
  // Eight steps straight through, or five, a checkpoint, and three more; the
  // switch is after step 5 so that RAdam resumes into its rectified steps.
  constexpr int total = 8, stop = 5;
  Model straight(0.5f);
  Optimizer uninterrupted(straight.named_parameters(), options);
  for (int i = 0; i < total; ++i) straight.train_step(uninterrupted);

  Model first(0.5f);
  Optimizer stopped(first.named_parameters(), options);
  for (int i = 0; i < stop; ++i) first.train_step(stopped);
  xg::io::Archive checkpoint;
  checkpoint.put("w", first.w.value());
  checkpoint.put("b", first.b.value());
  const std::string model_bytes = checkpoint.to_bytes("module");
  const std::string optimizer_bytes = stopped.state_dict().to_bytes("optimizer");

  // A fresh process: other initial values and default options, all replaced
  // by what was saved.
  Model resumed(-3.0f);
  const auto model = xg::io::Archive::from_bytes(model_bytes, "module");
  resumed.w.value() = model.get_array<float>("w");
  resumed.b.value() = model.get_array<float>("b");
  Optimizer continued(resumed.named_parameters());
  continued.load_state_dict(xg::io::Archive::from_bytes(optimizer_bytes, "optimizer"));
  for (int i = stop; i < total; ++i) resumed.train_step(continued);

  CHECK(resumed.w.value() == straight.w.value());
  CHECK(resumed.b.value() == straight.b.value());
  CHECK(continued.step_count(resumed.w) == total);
  // The last update really moved the parameters (the comparison is not vacuous).
  CHECK_FALSE(first.w.value() == straight.w.value());
}

}  // namespace

using namespace xg::optim;

TEST_CASE("SGD: training resumed from a checkpoint continues bit-identically") {
  check_resume<SGD<float>>({.lr = 0.01, .momentum = 0.9, .dampening = 0.1, .weight_decay = 1e-3});
  check_resume<SGD<float>>({.lr = 0.01, .momentum = 0.9, .nesterov = true, .maximize = false});
}

TEST_CASE("Adagrad: training resumed from a checkpoint continues bit-identically") {
  check_resume<Adagrad<float>>({.lr = 0.1, .lr_decay = 0.01, .weight_decay = 1e-3, .initial_accumulator_value = 0.1});
}

TEST_CASE("RMSprop: training resumed from a checkpoint continues bit-identically") {
  check_resume<RMSprop<float>>({.lr = 0.01, .alpha = 0.9, .weight_decay = 1e-3, .momentum = 0.5, .centered = true});
}

TEST_CASE("Adadelta: training resumed from a checkpoint continues bit-identically") {
  check_resume<Adadelta<float>>({.lr = 1.0, .rho = 0.8, .weight_decay = 1e-3});
}

TEST_CASE("Adam: training resumed from a checkpoint continues bit-identically") {
  check_resume<Adam<float>>({.lr = 0.01, .weight_decay = 1e-3, .amsgrad = true});
}

TEST_CASE("AdamW: training resumed from a checkpoint continues bit-identically") {
  check_resume<AdamW<float>>({.lr = 0.01, .betas = {0.8, 0.9}, .amsgrad = true});
}

TEST_CASE("Adamax: training resumed from a checkpoint continues bit-identically") {
  check_resume<Adamax<float>>({.lr = 0.01, .weight_decay = 1e-3});
}

TEST_CASE("NAdam: training resumed from a checkpoint continues bit-identically") {
  check_resume<NAdam<float>>({.lr = 0.01, .weight_decay = 1e-3, .momentum_decay = 0.1});
}

TEST_CASE("RAdam: training resumed from a checkpoint continues bit-identically") {
  check_resume<RAdam<float>>({.lr = 0.01, .weight_decay = 1e-3});
}

TEST_CASE("Optimizers: save and load through a file") {
  const auto path = std::filesystem::temp_directory_path() / "xgrad_test_optim_state.xgrad";
  Model model(0.5f);
  Adam<float> saved(model.named_parameters(), {.lr = 0.02, .amsgrad = true});
  for (int i = 0; i < 3; ++i) model.train_step(saved);
  saved.save(path.string());
  Adam<float> loaded(model.named_parameters());
  loaded.load(path.string());
  std::filesystem::remove(path);
  CHECK(loaded.lr() == 0.02);
  CHECK(loaded.options().amsgrad);
  CHECK(loaded.step_count(model.w) == 3);
  CHECK(loaded.state(model.w, "max_exp_avg_sq") == saved.state(model.w, "max_exp_avg_sq"));
  CHECK(loaded.state_dict().to_bytes("optimizer") == saved.state_dict().to_bytes("optimizer"));
}

TEST_CASE("Optimizers: state saved for one model does not load into a model whose layers were reordered") {
  // Two linear layers 2 -> 3 -> 1, then the same layers in the other order:
  // the names are the same, the shapes behind them are not.
  xg::NamedTensors<float> before{{"0.weight", xg::ones({3, 2}, true)}, {"1.weight", xg::ones({1, 3}, true)}};
  Adam<float> trained(before, {.lr = 0.5});
  for (auto& [name, p] : before) p.grad() = xg::ones(xg::to_shape(p.shape())).value();
  trained.step();
  const auto state = trained.state_dict();

  xg::NamedTensors<float> reordered{{"0.weight", xg::ones({1, 3}, true)}, {"1.weight", xg::ones({3, 2}, true)}};
  Adam<float> other(reordered);
  const std::string what = message_of<xg::ShapeError>([&] { other.load_state_dict(state); });
  CHECK(contains(what, "Adam.load_state_dict"));
  CHECK(contains(what, "'exp_avg' of parameter '0.weight' has shape (3, 2) but the parameter has (1, 3)"));
  // Nothing was loaded: the options and the (empty) state are as they were.
  CHECK(other.lr() == 1e-3);
  CHECK(other.step_count(reordered[0].second) == 0);
}

TEST_CASE("Optimizers: state of renamed or missing parameters is an error listing the names") {
  xg::NamedTensors<float> before{{"fc.weight", xg::ones({2}, true)}, {"fc.bias", xg::ones({1}, true)}};
  SGD<float> trained(before);
  const auto state = trained.state_dict();
  xg::NamedTensors<float> renamed{{"fc1.weight", xg::ones({2}, true)}, {"fc.bias", xg::ones({1}, true)}};
  SGD<float> other(renamed);
  const std::string what = message_of<std::invalid_argument>([&] { other.load_state_dict(state); });
  CHECK(contains(what, "not in the state: 'fc1.weight'"));
  CHECK(contains(what, "in the state but not here: 'fc.weight'"));
}

TEST_CASE("Optimizers: named state follows the names when parameters come in another order") {
  auto a = xg::zeros({2}, true), b = xg::zeros({2}, true);
  RMSprop<float> trained(xg::NamedTensors<float>{{"a", a}, {"b", b}}, {.momentum = 0.5});
  a.grad() = xg::Array<float>{1.0f, 2.0f};
  b.grad() = xg::Array<float>{-3.0f, 4.0f};
  trained.step();
  auto a2 = xg::zeros({2}, true), b2 = xg::zeros({2}, true);
  RMSprop<float> loaded(xg::NamedTensors<float>{{"b", b2}, {"a", a2}}, {.momentum = 0.5});
  loaded.load_state_dict(trained.state_dict());
  // square_avg = 0.01·g² of each parameter's own gradient.
  CHECK(loaded.state(a2, "square_avg") == trained.state(a, "square_avg"));
  CHECK(loaded.state(b2, "square_avg") == trained.state(b, "square_avg"));
  CHECK(loaded.state(b2, "square_avg")(0) == doctest::Approx(0.09f));
  CHECK(loaded.state(b2, "momentum_buffer") == trained.state(b, "momentum_buffer"));
}

TEST_CASE("Optimizers: load_state_dict checks the optimizer type, the groups and the naming") {
  auto w = xg::zeros({2}, true);
  Adam<float> adam(std::vector{w});
  SGD<float> sgd(std::vector{w});
  CHECK(contains(message_of<std::invalid_argument>([&] { sgd.load_state_dict(adam.state_dict()); }),
                 "SGD.load_state_dict: the state was saved by 'Adam', not SGD"));
  Adam<float> two_groups(std::vector{w});
  two_groups.add_param_group(std::vector{xg::zeros({1}, true)});
  CHECK(contains(message_of<std::invalid_argument>([&] { adam.load_state_dict(two_groups.state_dict()); }),
                 "the state has 2 parameter groups, this optimizer has 1"));
  Adam<float> named(xg::NamedTensors<float>{{"w", w}});
  CHECK(contains(message_of<std::invalid_argument>([&] { named.load_state_dict(adam.state_dict()); }),
                 "saved without parameter names"));
  Adam<float> bigger(std::vector{w, xg::zeros({1}, true)});
  CHECK(contains(message_of<std::invalid_argument>([&] { adam.load_state_dict(bigger.state_dict()); }),
                 "group 0 of the state has 2 parameters, this optimizer's has 1"));
}

TEST_CASE("Optimizers: load_state_dict restores every group's options") {
  auto a = xg::zeros({1}, true), b = xg::zeros({1}, true);
  SGD<float> saved(std::vector{a}, {.lr = 0.1, .momentum = 0.9});
  saved.add_param_group(std::vector{b}, {.lr = 0.3, .nesterov = false, .maximize = true});
  SGD<float> loaded(std::vector{a}, {.lr = 0.7});
  loaded.add_param_group(std::vector{b});
  loaded.load_state_dict(saved.state_dict());
  CHECK(loaded.lr(0) == doctest::Approx(0.1));
  CHECK(loaded.options(0).momentum == doctest::Approx(0.9));
  CHECK(loaded.lr(1) == doctest::Approx(0.3));
  CHECK(loaded.options(1).maximize);
}
