// Draws the learning-rate schedules of xg::optim against the step, one SVG
// per family, and the picture that explains Adagrad: the effective
// per-coordinate learning rate of a frequent and of a rare feature.
//   lr_schedules [--out DIR]   (default out/lr_schedules in the working directory)
#include <cstdio>
#include <string>
#include <vector>

#include <xgrad/examples/support/cli.hpp>
#include <xgrad/examples/support/pictures.hpp>
#include <xgrad/plot/plot.hpp>
#include <xgrad/xgrad.hpp>

using namespace xg;
using namespace xg::optim;

int main(int argc, char** argv) try {
  const std::string out = examples::parse_flag_values(argc, argv, {{"--out", "out/lr_schedules"}}).at("--out");
  examples::SgdPerSchedule sgd;
  const long steps = 120;
  const auto trace = [&](const char* label, LRScheduler&& s) { return examples::lr_trace(label, s, steps); };
  const auto draw = [&](const char* file, const char* title, const std::vector<plot::Series>& lrs) {
    examples::write_output(out, file, plot::line_chart_svg(lrs, {title, "step", "learning rate"}));
  };
  draw("schedules_step.svg", "Step-wise decay",
       {trace("StepLR(step_size=30, gamma=0.5)", StepLR(sgd(), {.step_size = 30, .gamma = 0.5})),
        trace("MultiStepLR(milestones={20, 50, 90}, gamma=0.3)",
              MultiStepLR(sgd(), {.milestones = {20, 50, 90}, .gamma = 0.3})),
        trace("ExponentialLR(gamma=0.97)", ExponentialLR(sgd(), {.gamma = 0.97}))});
  draw("schedules_cosine.svg", "Cosine annealing and warm restarts",
       {trace("CosineAnnealingLR(T_max=120)", CosineAnnealingLR(sgd(), {.T_max = 120})),
        trace("CosineAnnealingWarmRestarts(T_0=10, T_mult=2)",
              CosineAnnealingWarmRestarts(sgd(), {.T_0 = 10, .T_mult = 2})),
        trace("CosineAnnealingWarmRestarts(T_0=30, eta_min=0.02)",
              CosineAnnealingWarmRestarts(sgd(), {.T_0 = 30, .eta_min = 0.02}))});
  const auto cyclic = [&](CyclicLRMode mode, double gamma = 1.0) {
    return CyclicLR(sgd(), {.base_lr = 0.01, .max_lr = 0.1, .step_size_up = 15, .mode = mode, .gamma = gamma});
  };
  draw("schedules_cyclic.svg", "Cyclical learning rates (Smith 2017)",
       {trace("triangular", cyclic(CyclicLRMode::triangular)), trace("triangular2", cyclic(CyclicLRMode::triangular2)),
        trace("exp_range(gamma=0.99)", cyclic(CyclicLRMode::exp_range, 0.99))});
  OptimizerBase &warmed = sgd(), &chained = sgd();
  const auto warmup = std::make_shared<LinearLR>(warmed, LinearLROptions{.start_factor = 0.1, .total_iters = 10});
  const auto cosine = std::make_shared<CosineAnnealingLR>(warmed, CosineAnnealingLROptions{.T_max = 110});
  draw(
      "schedules_warmup.svg", "Warm-up and one-cycle",
      {trace("LinearLR(start_factor=0.1, total_iters=20)", LinearLR(sgd(), {.start_factor = 0.1, .total_iters = 20})),
       trace("SequentialLR(LinearLR 10 steps, then CosineAnnealingLR)", SequentialLR(warmed, {{warmup, cosine}, {10}})),
       trace("OneCycleLR(max_lr=0.1, cos)", OneCycleLR(sgd(), {.max_lr = 0.1, .total_steps = steps + 2})),
       trace("OneCycleLR(max_lr=0.1, linear)",
             OneCycleLR(sgd(), {.max_lr = 0.1, .total_steps = steps + 2, .anneal_strategy = AnnealStrategy::linear}))});
  const auto wsd = [&](WSDDecay decay, double min_lr = 0.0) {
    return WSD(sgd(), {.warmup_steps = 10, .stable_steps = 70, .decay_steps = 40, .decay = decay, .min_lr = min_lr});
  };
  const auto constant = std::make_shared<ConstantLR>(chained, ConstantLROptions{.factor = 0.5, .total_iters = 20});
  const auto decay = std::make_shared<MultiplicativeLR>(chained, MultiplicativeLROptions{[](long) { return 0.98; }});
  draw("schedules_wsd.svg", "Warmup-stable-decay, polynomial and chained",
       {trace("WSD(10 warm-up, 70 stable, 40 decay, linear)", wsd(WSDDecay::linear)),
        trace("WSD(..., cosine, min_lr=0.01)", wsd(WSDDecay::cosine, 0.01)),
        trace("WSD(..., sqrt)", wsd(WSDDecay::sqrt)),
        trace("PolynomialLR(total_iters=100, power=2)", PolynomialLR(sgd(), {.total_iters = 100, .power = 2.0})),
        trace("ChainedScheduler(ConstantLR(0.5, 20), MultiplicativeLR(0.98))",
              ChainedScheduler(chained, {{constant, decay}}))});
  // The effective lr of a feature whose gradient is 1 at every step and of one
  // whose gradient is 1 every tenth step: Adagrad's sum of squared gradients
  // keeps both shrinking; RMSprop's running mean forgets, and they level off.
  const auto gradient = [](long t) { return Array<float>{1.0f, t % 10 == 1 ? 1.0f : 0.0f}; };
  std::vector<plot::Series> lrs;
  examples::add_effective_lrs<Adagrad<float>>(lrs, {"Adagrad, frequent feature", "Adagrad, rare feature (1 in 10)"},
                                              "sum", 0.1, 1e-10, 500, gradient);
  examples::add_effective_lrs<RMSprop<float>>(lrs, {"RMSprop, frequent feature", "RMSprop, rare feature (1 in 10)"},
                                              "square_avg", 0.1, 1e-8, 500, gradient);
  plot::LineChartOptions chart{"Effective per-coordinate learning rate (lr 0.1)", "step", "lr / sqrt(accumulator)"};
  chart.log_y = true;
  chart.width = 900;
  examples::write_output(out, "adagrad_effective_lr.svg", plot::line_chart_svg(lrs, chart));
} catch (const std::exception& e) {
  std::fprintf(stderr, "lr_schedules: %s\n", e.what());
  return 1;
}
