// A state_dict AdamW saved before Adam and AdamW became one update (issue
// 13) still loads into AdamW and resumes the run, and Adam still refuses it.
//
// tests/data/adamw_state_dict_0.1.0.xga was written by xgrad 0.1.0 at commit
// d3940cc, before that change, by this program:
//   auto w = xg::tensor(xg::Array<double>{1.0, -2.0}, true);
//   auto b = xg::tensor(xg::Array<double>{0.5}, true);
//   xg::optim::AdamW<double> opt(xg::NamedTensors<double>{{"w", w}, {"b", b}}, {.lr = 0.1, .amsgrad = true});
//   for (int i = 0; i < 2; ++i) {
//     opt.zero_grad();
//     (xg::sum(w * w) + xg::sum(b * b * b)).backward();
//     opt.step();
//   }
//   opt.state_dict().save(path, "optimizer");
// The expected state is torch.optim.AdamW's algorithm, worked below.

#include <algorithm>
#include <array>
#include <cmath>
#include <string>
#include <vector>

#include <doctest/doctest.h>

#include <xgrad/optim/optim.hpp>
#include <xgrad/xgrad.hpp>

#include "exception_message.hpp"

using xg::testing::contains;
using xg::testing::message_of;

namespace {

constexpr double lr = 0.1, weight_decay = 1e-2, beta1 = 0.9, beta2 = 0.999, eps = 1e-8;

// One parameter value under torch.optim.AdamW with amsgrad, step by step.
struct Reference {
  double p, m = 0, v = 0, v_max = 0;
  void step(int t, double grad) {
    p *= 1 - lr * weight_decay;
    m = beta1 * m + (1 - beta1) * grad;
    v = beta2 * v + (1 - beta2) * grad * grad;
    v_max = std::max(v_max, v);
    const double bias_correction1 = 1 - std::pow(beta1, t), bias_correction2 = 1 - std::pow(beta2, t);
    p -= lr / bias_correction1 * m / (std::sqrt(v_max) / std::sqrt(bias_correction2) + eps);
  }
};

// The parameters of the saved run after `steps` steps: w's two values, then b's.
std::array<Reference, 3> run(int steps) {
  std::array<Reference, 3> r{Reference{1.0}, Reference{-2.0}, Reference{0.5}};
  for (int t = 1; t <= steps; ++t) {
    r[0].step(t, 2 * r[0].p);
    r[1].step(t, 2 * r[1].p);
    r[2].step(t, 3 * r[2].p * r[2].p);
  }
  return r;
}

xg::io::Archive saved_state() {
  return xg::io::Archive::from_bytes(xg::io::read_file(XGRAD_TESTS_DIR "/data/adamw_state_dict_0.1.0.xga", "test"),
                                     "optimizer", "adamw_state_dict_0.1.0.xga");
}

}  // namespace

TEST_CASE("AdamW: a state_dict saved by xgrad 0.1.0 loads and resumes as torch.optim.AdamW would") {
  const auto saved = run(2);
  auto w = xg::tensor(xg::Array<double>{saved[0].p, saved[1].p}, true);
  auto b = xg::tensor(xg::Array<double>{saved[2].p}, true);
  xg::optim::AdamW<double> opt(xg::NamedTensors<double>{{"w", w}, {"b", b}}, {.lr = 1, .weight_decay = 0.5});
  opt.load_state_dict(saved_state());

  CHECK(opt.options().lr == lr);
  CHECK(opt.options().weight_decay == weight_decay);
  CHECK(opt.options().amsgrad);
  CHECK(opt.step_count(w) == 2);
  CHECK(opt.step_count(b) == 2);
  CHECK(opt.state(w, "exp_avg")(0) == doctest::Approx(saved[0].m).epsilon(1e-14));
  CHECK(opt.state(w, "exp_avg")(1) == doctest::Approx(saved[1].m).epsilon(1e-14));
  CHECK(opt.state(w, "exp_avg_sq")(1) == doctest::Approx(saved[1].v).epsilon(1e-14));
  CHECK(opt.state(b, "exp_avg_sq")(0) == doctest::Approx(saved[2].v).epsilon(1e-14));
  CHECK(opt.state(b, "max_exp_avg_sq")(0) == doctest::Approx(saved[2].v_max).epsilon(1e-14));

  // The third step continues the saved run.
  opt.zero_grad();
  (xg::sum(w * w) + xg::sum(b * b * b)).backward();
  opt.step();
  const auto expected = run(3);
  CHECK(w.value()(0) == doctest::Approx(expected[0].p).epsilon(1e-14));
  CHECK(w.value()(1) == doctest::Approx(expected[1].p).epsilon(1e-14));
  CHECK(b.value()(0) == doctest::Approx(expected[2].p).epsilon(1e-14));
}

TEST_CASE("AdamW: its saved state names AdamW, and Adam refuses a state AdamW saved") {
  const xg::io::Archive state = saved_state();
  CHECK(state.get_string("optimizer") == "AdamW");
  auto w = xg::tensor(xg::Array<double>{1.0, -2.0}, true);
  auto b = xg::tensor(xg::Array<double>{0.5}, true);
  xg::optim::Adam<double> adam(xg::NamedTensors<double>{{"w", w}, {"b", b}});
  const std::string message = message_of<std::invalid_argument>([&] { adam.load_state_dict(state); });
  CHECK(contains(message, "Adam.load_state_dict: the state was saved by 'AdamW', not Adam"));
  CHECK(adam.step_count(w) == 0);

  // And a state saved now by AdamW still says AdamW; Adam's says Adam.
  xg::optim::AdamW<double> adamw(xg::NamedTensors<double>{{"w", w}, {"b", b}});
  CHECK(adamw.state_dict().get_string("optimizer") == "AdamW");
  CHECK(adam.state_dict().get_string("optimizer") == "Adam");
}
