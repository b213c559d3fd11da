// Schedule-Free SGD and AdamW (Defazio et al. 2024) against the reference
// implementations of facebookresearch/schedule_free
// (sgd_schedulefree_reference.py, adamw_schedulefree_reference.py), written
// out below for one coordinate at a time in float64; the first steps by hand;
// the eval point as the weighted average of the z sequence; train()/eval();
// checkpoints in both modes; options; row-sparse gradients (densified).

#include <algorithm>
#include <array>
#include <cmath>
#include <stdexcept>
#include <string>
#include <vector>

#include <doctest/doctest.h>

#include <xgrad/optim/optim.hpp>
#include <xgrad/xgrad.hpp>

#include "exception_message.hpp"
#include "least_squares_model.hpp"

using namespace xg::optim;
using xg::testing::contains;
using xg::testing::message_of;

namespace {

// The reference step for a vector parameter, as the Python code reads:
// group scalars k, weight_sum, lr_max; state z, x, y (and exp_avg_sq).
struct Reference {
  bool adam;
  double lr, beta1, beta2, eps, weight_decay, r, weight_lr_power;
  long warmup_steps;
  std::vector<double> z, x, y, v;
  long k = 0;
  double weight_sum = 0, lr_max = -1;

  void step(const std::vector<double>& grad) {
    if (z.empty()) {
      z = x = y;
      v.assign(y.size(), 0.0);
    }
    const double sched = k < warmup_steps ? (k + 1.0) / static_cast<double>(warmup_steps) : 1.0;
    const double step_lr = adam ? lr * sched * std::sqrt(1 - std::pow(beta2, k + 1.0)) : lr * sched;
    lr_max = std::max(step_lr, lr_max);
    const double weight = std::pow(k + 1.0, r) * std::pow(lr_max, weight_lr_power);
    weight_sum += weight;
    const double ckp1 = weight_sum == 0 ? 0 : weight / weight_sum;
    for (std::size_t i = 0; i < y.size(); ++i) {
      if (adam) {
        z[i] -= step_lr * weight_decay * y[i];
        v[i] = v[i] * beta2 + (1 - beta2) * grad[i] * grad[i];
        z[i] -= step_lr * grad[i] / (std::sqrt(v[i]) + eps);
      } else {
        z[i] -= step_lr * (grad[i] + weight_decay * y[i]);
      }
      x[i] = x[i] * (1 - ckp1) + ckp1 * z[i];
      y[i] = x[i] * beta1 + (1 - beta1) * z[i];
    }
    ++k;
  }
};

// f(θ) = ½θ1² + 2θ2², g = (θ1, 4θ2) at the parameter (y), from θ = (1, −0.5).
std::vector<double> gradient_at(const std::vector<double>& y) { return {y[0], 4 * y[1]}; }

template <class Optimizer>
void check_against_reference(const typename Optimizer::options_type& options, Reference reference, int steps) {
  auto theta = xg::tensor<double>(xg::Array<double>{1.0, -0.5}, true);
  const auto half_curvature = xg::tensor<double>(xg::Array<double>{0.5, 2.0});
  Optimizer optimizer({theta}, options);
  reference.y = {1.0, -0.5};
  for (int t = 1; t <= steps; ++t) {
    optimizer.zero_grad();
    xg::sum(half_curvature * theta * theta).backward();
    optimizer.step();
    reference.step(gradient_at(reference.y));
    for (std::size_t i = 0; i < 2; ++i) {
      INFO("step " << t << ", coordinate " << i);
      CHECK(theta.value()(i) == doctest::Approx(reference.y[i]).epsilon(1e-12));
      CHECK(optimizer.state(theta, "z")(i) == doctest::Approx(reference.z[i]).epsilon(1e-12));
      CHECK(optimizer.state(theta, "x")(i) == doctest::Approx(reference.x[i]).epsilon(1e-12));
    }
  }
}

void check_theta(const xg::Tensor64& theta, std::array<double, 2> expected) {
  CHECK(std::abs(theta.value()(0) - expected[0]) <= 1e-6);
  CHECK(std::abs(theta.value()(1) - expected[1]) <= 1e-6);
}

}  // namespace

TEST_CASE("SGDScheduleFree: the first three steps by hand, then the reference for every option") {
  // Defaults lr = 1, β = 0.9, r = 0, weight_lr_power = 2: w_t = 1, so c_t = 1/t.
  // t=1: g=(1, -2)  z=(0, 1.5)   x=z            y=0.9x+0.1z=(0, 1.5)
  // t=2: g=(0, 6)   z=(0, -4.5)  x=(0, -1.5)    y=(0, -1.35-0.45)=(0, -1.8)
  // t=3: g=(0,-7.2) z=(0, 2.7)   x=(2/3)(-1.5)+(1/3)(2.7)=(0, -0.1)  y=(0, -0.09+0.27)=(0, 0.18)
  auto theta = xg::tensor<double>(xg::Array<double>{1.0, -0.5}, true);
  const auto half_curvature = xg::tensor<double>(xg::Array<double>{0.5, 2.0});
  SGDScheduleFree opt({theta});
  const std::array<std::array<double, 2>, 3> expected{{{0, 1.5}, {0, -1.8}, {0, 0.18}}};
  for (const auto& e : expected) {
    opt.zero_grad();
    xg::sum(half_curvature * theta * theta).backward();
    opt.step();
    check_theta(theta, e);
  }
  check_theta(xg::tensor<double>(opt.state(theta, "x")), {0, -0.1});

  const Reference base{.adam = false,
                       .lr = 0.1,
                       .beta1 = 0.9,
                       .beta2 = 0,
                       .eps = 0,
                       .weight_decay = 0,
                       .r = 0,
                       .weight_lr_power = 2,
                       .warmup_steps = 0};
  SUBCASE("lr and momentum") {
    check_against_reference<SGDScheduleFree<double>>(
        {.lr = 0.1, .momentum = 0.5},
        [&] {
          auto r = base;
          r.beta1 = 0.5;
          return r;
        }(),
        6);
  }
  SUBCASE("weight_decay") {
    check_against_reference<SGDScheduleFree<double>>(
        {.lr = 0.1, .weight_decay = 0.3},
        [&] {
          auto r = base;
          r.weight_decay = 0.3;
          return r;
        }(),
        6);
  }
  SUBCASE("warmup_steps, r and weight_lr_power") {
    check_against_reference<SGDScheduleFree<double>>(
        {.lr = 0.1, .warmup_steps = 3, .r = 1.5, .weight_lr_power = 1},
        [&] {
          auto r = base;
          r.warmup_steps = 3;
          r.r = 1.5;
          r.weight_lr_power = 1;
          return r;
        }(),
        6);
  }
}

TEST_CASE("AdamWScheduleFree: the first step by hand, then the reference for every option") {
  // t=1: lr_1 = 0.0025·√(1 − 0.999) and v = 0.001·g², so the step is
  // lr_1·g/√v = 0.0025·sign(g) (ε changes it by ~1e-9): z = x = y = θ − 0.0025·sign(g).
  auto theta = xg::tensor<double>(xg::Array<double>{1.0, -0.5}, true);
  const auto half_curvature = xg::tensor<double>(xg::Array<double>{0.5, 2.0});
  AdamWScheduleFree opt({theta});
  xg::sum(half_curvature * theta * theta).backward();
  opt.step();
  check_theta(theta, {0.9975, -0.4975});

  const Reference base{.adam = true,
                       .lr = 0.0025,
                       .beta1 = 0.9,
                       .beta2 = 0.999,
                       .eps = 1e-8,
                       .weight_decay = 0,
                       .r = 0,
                       .weight_lr_power = 2,
                       .warmup_steps = 0};
  SUBCASE("defaults") { check_against_reference<AdamWScheduleFree<double>>({}, base, 6); }
  SUBCASE("lr and betas") {
    check_against_reference<AdamWScheduleFree<double>>(
        {.lr = 0.05, .betas = {0.7, 0.9}},
        [&] {
          auto r = base;
          r.lr = 0.05;
          r.beta1 = 0.7;
          r.beta2 = 0.9;
          return r;
        }(),
        6);
  }
  SUBCASE("eps and weight_decay") {
    check_against_reference<AdamWScheduleFree<double>>(
        {.lr = 0.05, .eps = 0.1, .weight_decay = 0.5},
        [&] {
          auto r = base;
          r.lr = 0.05;
          r.eps = 0.1;
          r.weight_decay = 0.5;
          return r;
        }(),
        6);
  }
  SUBCASE("warmup_steps, r and weight_lr_power") {
    check_against_reference<AdamWScheduleFree<double>>(
        {.lr = 0.05, .warmup_steps = 4, .r = 1, .weight_lr_power = 0},
        [&] {
          auto r = base;
          r.lr = 0.05;
          r.warmup_steps = 4;
          r.r = 1;
          r.weight_lr_power = 0;
          return r;
        }(),
        6);
  }
}

TEST_CASE("Schedule-Free: the eval point is the weighted average of the z sequence") {
  // x_T = Σ w_t z_t / Σ w_t with w_t = t^r · (max_{i≤t} lr_i)^weight_lr_power,
  // lr_t = lr · min(1, t / warmup_steps) (times √(1 − β2^t) for AdamW).
  auto check = [](auto& opt, const xg::Tensor64& theta, auto scheduled_lr, double r, double power) {
    const auto half_curvature = xg::tensor<double>(xg::Array<double>{0.5, 2.0});
    std::vector<double> sum(2, 0.0);
    double weights = 0, lr_max = 0;
    for (int t = 1; t <= 12; ++t) {
      opt.zero_grad();
      xg::sum(half_curvature * theta * theta).backward();
      opt.step();
      lr_max = std::max(lr_max, scheduled_lr(t));
      const double w = std::pow(t, r) * std::pow(lr_max, power);
      weights += w;
      for (std::size_t i = 0; i < 2; ++i) sum[i] += w * opt.state(theta, "z")(i);
    }
    const xg::Array<double> y = theta.value();
    opt.eval();
    CHECK_FALSE(opt.training());
    for (std::size_t i = 0; i < 2; ++i) {
      CHECK(theta.value()(i) == doctest::Approx(sum[i] / weights).epsilon(1e-12));
      CHECK(theta.value()(i) != y(i));
    }
    CHECK(opt.state(theta, "y") == y);
    opt.train();
    CHECK(theta.value() == y);  // bit for bit
  };
  auto sgd_theta = xg::tensor<double>(xg::Array<double>{1.0, -0.5}, true);
  SGDScheduleFree sgd({sgd_theta}, {.lr = 0.2, .warmup_steps = 5, .r = 1.0});
  check(
      sgd, sgd_theta, [](int t) { return 0.2 * std::min(1.0, t / 5.0); }, 1.0, 2.0);

  auto adam_theta = xg::tensor<double>(xg::Array<double>{1.0, -0.5}, true);
  AdamWScheduleFree adam({adam_theta}, {.lr = 0.05, .warmup_steps = 3, .r = 0.5, .weight_lr_power = 1.5});
  check(
      adam, adam_theta, [](int t) { return 0.05 * std::min(1.0, t / 3.0) * std::sqrt(1 - std::pow(0.999, t)); }, 0.5,
      1.5);
}

TEST_CASE("Schedule-Free: a step in eval mode throws and changes nothing; train() and eval() are idempotent") {
  auto theta = xg::tensor<double>(xg::Array<double>{1.0, -0.5}, true);
  SGDScheduleFree opt({theta}, {.lr = 0.1});
  opt.eval();  // before any step: no state, nothing to swap
  CHECK(theta.value() == xg::Array<double>{1.0, -0.5});
  opt.train();
  for (int t = 0; t < 3; ++t) {
    opt.zero_grad();
    xg::sum(theta * theta).backward();
    opt.step();
  }
  const xg::Array<double> y = theta.value();
  opt.eval();
  opt.eval();
  const xg::Array<double> x = theta.value();
  CHECK(x == opt.state(theta, "x"));
  opt.zero_grad();
  xg::sum(theta * theta).backward();
  const std::string message = message_of<std::logic_error>([&] { opt.step(); });
  CHECK(contains(message, "SGDScheduleFree.step: the optimizer is in eval mode"));
  CHECK(contains(message, "call train()"));
  CHECK(theta.value() == x);
  CHECK(opt.step_count(theta) == 3);
  opt.train();
  opt.train();
  CHECK(theta.value() == y);
  CHECK_THROWS_AS(opt.state(theta, "y"), std::invalid_argument);  // y is the parameter while training
}

namespace {

// The optimizer's checkpoint is saved after `stop` steps in the given mode
// and resumed into a fresh model and optimizer.
template <class Optimizer>
void check_resume(const typename Optimizer::options_type& options, bool save_in_eval_mode) {
  constexpr int total = 9, stop = 4;
  LeastSquaresModel straight;
  Optimizer uninterrupted(straight.named_parameters(), options);
  for (int i = 0; i < total; ++i) straight.train_step(uninterrupted);

  LeastSquaresModel first;
  Optimizer stopped(first.named_parameters(), options);
  for (int i = 0; i < stop; ++i) first.train_step(stopped);
  if (save_in_eval_mode) stopped.eval();
  xg::io::Archive model;
  model.put("w", first.w.value());
  model.put("b", first.b.value());
  const std::string model_bytes = model.to_bytes("module");
  const std::string optimizer_bytes = stopped.state_dict().to_bytes("optimizer");

  LeastSquaresModel resumed;
  const auto saved_model = xg::io::Archive::from_bytes(model_bytes, "module");
  resumed.w.value() = saved_model.get_array<float>("w");
  resumed.b.value() = saved_model.get_array<float>("b");
  Optimizer continued(resumed.named_parameters());
  continued.load_state_dict(xg::io::Archive::from_bytes(optimizer_bytes, "optimizer"));
  CHECK(continued.training() == !save_in_eval_mode);
  continued.train();
  for (int i = stop; i < total; ++i) resumed.train_step(continued);
  CHECK(resumed.w.value() == straight.w.value());
  CHECK(resumed.b.value() == straight.b.value());
  CHECK_FALSE(first.w.value() == straight.w.value());
  uninterrupted.eval();
  continued.eval();
  CHECK(resumed.w.value() == straight.w.value());
}

}  // namespace

TEST_CASE("Schedule-Free: a checkpoint in train or eval mode resumes bit-identically, and records the mode") {
  for (bool eval_mode : {false, true}) {
    INFO("saved in " << (eval_mode ? "eval" : "train") << " mode");
    check_resume<SGDScheduleFree<float>>({.lr = 0.05, .weight_decay = 0.01, .warmup_steps = 3}, eval_mode);
    check_resume<AdamWScheduleFree<float>>({.lr = 0.05, .weight_decay = 0.01, .warmup_steps = 3, .r = 1}, eval_mode);
  }

  LeastSquaresModel m;
  AdamWScheduleFree<float> opt(m.named_parameters(), {.lr = 0.05});
  m.train_step(opt);
  opt.eval();
  auto state = opt.state_dict();
  CHECK(state.get_number("train_mode") == 0.0);
  CHECK(state.contains("state.w.y"));
  state.put_number("train_mode", 0.5);
  AdamWScheduleFree<float> other(m.named_parameters(), {.lr = 0.05});
  CHECK(contains(message_of<std::invalid_argument>([&] { other.load_state_dict(state); }),
                 "AdamWScheduleFree.load_state_dict: the flag 'train_mode' holds 0.5"));
  CHECK(other.training());
  CHECK_THROWS_AS(other.state(m.w, "z"), std::invalid_argument);  // nothing was loaded
}

TEST_CASE("Schedule-Free: options out of range are refused naming the option and its value") {
  auto theta = xg::tensor<double>(xg::Array<double>{1.0}, true);
  const auto refused = [&](auto make, const char* text) {
    const std::string message = message_of<std::invalid_argument>(make);
    CHECK_MESSAGE(contains(message, text), message);
  };
  refused([&] { SGDScheduleFree<double>({theta}, {.momentum = 0}); },
          "SGDScheduleFree: invalid momentum = 0 (must be in (0, 1))");
  refused([&] { SGDScheduleFree<double>({theta}, {.momentum = 1}); }, "SGDScheduleFree: invalid momentum = 1");
  refused([&] { SGDScheduleFree<double>({theta}, {.lr = -1}); }, "SGDScheduleFree: invalid lr = -1");
  refused([&] { SGDScheduleFree<double>({theta}, {.warmup_steps = -2}); },
          "SGDScheduleFree: invalid warmup_steps = -2");
  refused([&] { SGDScheduleFree<double>({theta}, {.weight_lr_power = -1}); }, "invalid weight_lr_power = -1");
  refused(
      [&] {
        AdamWScheduleFree<double>({theta}, {.betas = {0.9, 1.0}});
      },
      "AdamWScheduleFree: invalid betas[1] = 1");
  refused([&] { AdamWScheduleFree<double>({theta}, {.eps = 0}); }, "AdamWScheduleFree: invalid eps = 0");
  refused([&] { AdamWScheduleFree<double>({theta}, {.weight_decay = -0.1}); }, "invalid weight_decay = -0.1");
  refused([&] { AdamWScheduleFree<double>({theta}, {.r = NAN}); }, "AdamWScheduleFree: invalid r = nan");
}

TEST_CASE("Schedule-Free: a row-sparse gradient is made dense, so rows without gradient still move") {
  // Row 2 has gradients at steps 1 and 2, none at step 3; there z ≠ x, so
  // x, and with it y, still moves towards z, as in the dense algorithm.
  auto run = [](bool sparse) {
    xg::Tensor64 w(xg::Array<double>{{1, 2}, {3, 4}, {-1, 0.5}}, true);
    AdamWScheduleFree<double> opt({w}, {.lr = 0.1});
    std::vector<xg::Array<double>> after;
    for (const auto& rows : std::vector<std::vector<std::size_t>>{{0, 2}, {2}, {1}}) {
      opt.zero_grad(true);
      if (sparse) {
        w.node()->accumulate_sparse_grad(xg::RowSparse<double>{rows, xg::full<double>({rows.size(), 2}, 0.5).value()});
      } else {
        auto g = xg::Array<double>::from_shape({3, 2});
        g.fill(0.0);
        for (std::size_t row : rows) g(row, 0) = g(row, 1) = 0.5;
        w.grad() = g;
      }
      opt.step();
      after.push_back(w.value());
    }
    return after;
  };
  const auto sparse = run(true), dense = run(false);
  for (std::size_t t = 0; t < 3; ++t) CHECK(sparse[t] == dense[t]);
  CHECK(sparse[2](2, 0) != sparse[1](2, 0));
}
