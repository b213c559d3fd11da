// Weight averaging as torch.optim.swa_utils: AveragedModel's SWA running mean
// and EMA against the means written out here, its checks and saved state,
// and SWALR against PyTorch's closed form and its recursion.

#include <cmath>
#include <memory>
#include <numbers>
#include <stdexcept>
#include <string>
#include <vector>

#include <doctest/doctest.h>

#include <xgrad/optim/optim.hpp>
#include <xgrad/optim/schedulers/schedulers.hpp>
#include <xgrad/xgrad.hpp>

#include "exception_message.hpp"
#include "test_lr_scheduler_fake_optimizer.hpp"

using namespace xg::optim;
using xg::testing::contains;
using xg::testing::message_of;

namespace {

// The model's weight (2, 3) and bias (2,) set to v·(1, 2, ..., 6) and v·(−1, 1/2).
void set_model(xg::nn::Linear& model, float v) {
  for (std::size_t i = 0; i < 6; ++i) model.weight.value().data()[i] = v * static_cast<float>(i + 1);
  model.bias.value() = xg::Array<float>{-v, 0.5f * v};
}

}  // namespace

TEST_CASE("AveragedModel: SWA's equal-weight mean of the models it was given") {
  xg::nn::Linear model(3, 2);
  auto average = std::make_shared<xg::nn::Linear>(3, 2);
  AveragedModel swa(average);
  const std::vector<float> values{2.0f, -1.0f, 0.5f, 4.0f};
  for (std::size_t k = 0; k < values.size(); ++k) {
    set_model(model, values[k]);
    swa.update_parameters(model);
    CHECK(swa.n_averaged() == static_cast<std::int64_t>(k + 1));
    double mean = 0;
    for (std::size_t j = 0; j <= k; ++j) mean += values[j];
    mean /= static_cast<double>(k + 1);  // 2, 0.5, 0.5, 1.375
    for (std::size_t i = 0; i < 6; ++i)
      CHECK(average->weight.value().data()[i] == doctest::Approx(mean * (i + 1)).epsilon(1e-6));
    CHECK(average->bias.value()(1) == doctest::Approx(0.5 * mean).epsilon(1e-6));
  }
  // The average is a model: forward runs on the averaged parameters.
  const auto x = xg::tensor(xg::Array<float>{{0.0f, 1.0f, 0.0f}});
  CHECK(swa(x).value()(0, 0) == doctest::Approx(1.375 * 2 - 1.375).epsilon(1e-6));
}

TEST_CASE("AveragedModel: ema_avg(decay) keeps decay·average + (1 − decay)·current after the first copy") {
  xg::nn::Linear model(3, 2);
  auto average = std::make_shared<xg::nn::Linear>(3, 2);
  AveragedModel ema(average, {.avg_fn = ema_avg(0.9)});
  double expected = 0;
  for (float v : {1.0f, 3.0f, -2.0f}) {
    set_model(model, v);
    ema.update_parameters(model);
    expected = ema.n_averaged() == 1 ? v : 0.9 * expected + 0.1 * v;  // 1, 1.2, 0.88
  }
  CHECK(expected == doctest::Approx(0.88));
  CHECK(average->weight.value()(1, 2) == doctest::Approx(expected * 6).epsilon(1e-6));
  CHECK_THROWS_WITH_AS(ema_avg(1.5), doctest::Contains("ema_avg: decay must be in [0, 1], got 1.5"),
                       std::invalid_argument);
}

TEST_CASE("AveragedModel: another architecture is refused and changes nothing; the state resumes the average") {
  xg::nn::Linear model(3, 2), wider(4, 2);
  auto average = std::make_shared<xg::nn::Linear>(3, 2);
  AveragedModel swa(average);
  set_model(model, 1.0f);
  swa.update_parameters(model);
  const xg::Array<float> before = average->weight.value();
  CHECK_THROWS_AS(swa.update_parameters(wider), xg::ShapeError);
  CHECK(swa.n_averaged() == 1);
  CHECK(average->weight.value() == before);

  set_model(model, 3.0f);
  swa.update_parameters(model);
  const auto saved = xg::io::Archive::from_bytes(swa.state_dict().to_bytes("module"), "module");
  CHECK(saved.get_number("n_averaged") == 2);
  CHECK(saved.contains("module.weight"));
  auto resumed_average = std::make_shared<xg::nn::Linear>(3, 2);
  AveragedModel resumed(resumed_average);
  resumed.load_state_dict(saved);
  CHECK(resumed.n_averaged() == 2);
  set_model(model, -4.0f);
  swa.update_parameters(model);
  resumed.update_parameters(model);
  CHECK(resumed_average->weight.value() == average->weight.value());  // bit for bit
  CHECK(average->weight.value()(0, 0) == doctest::Approx((1.0 + 3.0 - 4.0) / 3).epsilon(1e-6));

  auto damaged = saved;
  damaged.put_number("n_averaged", -1);
  CHECK(contains(message_of<std::invalid_argument>([&] { resumed.load_state_dict(damaged); }),
                 "AveragedModel.load_state_dict: 'n_averaged' holds -1"));
  CHECK(resumed.n_averaged() == 3);
  CHECK_THROWS_WITH_AS(AveragedModel(nullptr),
                       doctest::Contains("AveragedModel: the module to hold the average is null"),
                       std::invalid_argument);
}

namespace {

// PyTorch's SWALR.get_lr for one group, with step = the schedule's epoch.
struct SwalrReference {
  double swa_lr;
  long anneal_epochs;
  bool cos;
  double anneal(double t) const { return cos ? (1 - std::cos(std::numbers::pi * t)) / 2 : t; }
  double next(double lr, long step) const {
    if (anneal_epochs == 0) step = std::max(1L, step);
    const double prev_t = std::max(0.0, std::min(1.0, (step - 1.0) / std::max(1L, anneal_epochs)));
    const double prev_alpha = anneal(prev_t);
    const double initial = prev_alpha == 1 ? swa_lr : (lr - prev_alpha * swa_lr) / (1 - prev_alpha);
    const double t = std::max(0.0, std::min(1.0, static_cast<double>(step) / std::max(1L, anneal_epochs)));
    const double alpha = anneal(t);
    return swa_lr * alpha + initial * (1 - alpha);
  }
};

}  // namespace

TEST_CASE("SWALR: closed form swa_lr·α + lr₀·(1 − α) and PyTorch's recursion, cos and linear") {
  for (bool cos : {true, false}) {
    INFO((cos ? "cos" : "linear"));
    FakeOptimizer opt({0.1, 0.2});
    SWALR sched(opt, {.swa_lr = {0.05, 0.01},
                      .anneal_epochs = 8,
                      .anneal_strategy = cos ? AnnealStrategy::cos : AnnealStrategy::linear});
    const SwalrReference refs[2] = {{0.05, 8, cos}, {0.01, 8, cos}};
    std::vector<double> lr = {0.1, 0.2};
    check_sequence(sched, opt, [&](long e, std::size_t g) {
      const double t = std::min(1.0, e / 8.0);
      const double alpha = cos ? (1 - std::cos(std::numbers::pi * t)) / 2 : t;
      const double closed = refs[g].swa_lr * alpha + (g == 0 ? 0.1 : 0.2) * (1 - alpha);
      if (e > 0 && g == 0) {
        lr[0] = refs[0].next(lr[0], e);
        lr[1] = refs[1].next(lr[1], e);
      }
      CHECK(lr[g] == near(closed));
      return closed;
    });
  }
  // anneal_epochs = 0: swa_lr from the start.
  FakeOptimizer at_once({0.1});
  SWALR immediate(at_once, {.swa_lr = 0.02, .anneal_epochs = 0});
  CHECK(at_once.lr() == near(0.02));
  immediate.step();
  CHECK(at_once.lr() == near(0.02));
}

TEST_CASE("SWALR: constructed at the start, stepped after another schedule, it anneals from the lr it finds") {
  FakeOptimizer opt({0.1});
  ExponentialLR decay(opt, {.gamma = 0.9});
  SWALR swa(opt, {.swa_lr = 0.01, .anneal_epochs = 4, .anneal_strategy = AnnealStrategy::linear});
  CHECK(opt.lr() == near(0.1));
  for (int e = 0; e < 5; ++e) decay.step();
  double lr = opt.lr();
  CHECK(lr == near(0.1 * std::pow(0.9, 5)));
  const SwalrReference ref{0.01, 4, false};
  for (long s = 1; s <= 6; ++s) {
    swa.step();
    lr = ref.next(lr, s);
    CHECK(opt.lr() == near(lr));
  }
  CHECK(opt.lr() == near(0.01));

  FakeOptimizer bad({0.1});
  CHECK_THROWS_WITH_AS(SWALR(bad, {}), doctest::Contains("SWALR: swa_lr is required"), std::invalid_argument);
  CHECK_THROWS_WITH_AS(SWALR(bad, {.swa_lr = 0.1, .anneal_epochs = -1}),
                       doctest::Contains("SWALR: anneal_epochs must be non-negative, got -1"), std::invalid_argument);
  CHECK_THROWS_WITH_AS(SWALR(bad, {.swa_lr = -0.1}), doctest::Contains("SWALR: swa_lr must be non-negative"),
                       std::invalid_argument);
}
