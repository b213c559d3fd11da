// Draws the learning-rate schedules of xg::optim against the step, one SVG
// per family, and the picture that explains Adagrad: the effective
// per-coordinate learning rate of a frequent and of a rare feature.
//   lr_schedules [--out DIR]   (default out/lr_schedules in the working directory)
#include <cmath>
#include <cstdio>
#include <functional>
#include <string>

#include <xgrad/plot/plot.hpp>
#include <xgrad/xgrad.hpp>

using namespace xg;
using namespace xg::optim;

namespace {

constexpr long steps = 120;

// The lr a schedule sets at each step, on a fresh SGD with momentum (so the
// schedules that cycle momentum have one) and lr 0.1.
plot::Series trace(const std::string& label, const std::function<std::unique_ptr<LRScheduler>(OptimizerBase&)>& make) {
  auto p = zeros({1}, true);
  SGD<float> opt(std::vector<Tensor>{p}, {.lr = 0.1, .momentum = 0.9});
  auto schedule = make(opt);
  plot::Series s{label, {}, {}};
  for (long t = 0; t <= steps; ++t, schedule->step()) {
    s.x.push_back(static_cast<double>(t));
    s.y.push_back(opt.lr());
  }
  return s;
}

template <class S, class O>
std::function<std::unique_ptr<LRScheduler>(OptimizerBase&)> make(O options) {
  return [options](OptimizerBase& opt) { return std::make_unique<S>(opt, options); };
}

void draw(const std::string& out, const std::string& file, const std::string& title,
          const std::vector<plot::Series>& series, bool log_y = false) {
  plot::write_file(
      out + "/" + file,
      plot::line_chart_svg(series, {.title = title, .x_label = "step", .y_label = "learning rate", .log_y = log_y}));
  std::printf("wrote %s/%s\n", out.c_str(), file.c_str());
}

// Adagrad's lr / (sqrt(sum of squared gradients) + eps) and RMSprop's
// lr / (sqrt(running mean of squared gradients) + eps), both at lr 0.1, for a
// feature whose gradient is 1 at every step and one whose gradient is 1 every
// tenth step: Adagrad's keeps shrinking, RMSprop's levels off.
std::vector<plot::Series> effective_lrs() {
  std::vector<plot::Series> out;
  auto run = [&](const std::string& name, auto optimizer, const char* state, double lr, bool mean) {
    auto w = zeros({2}, true);
    auto opt = optimizer(w);
    plot::Series frequent{name + ", frequent feature", {}, {}}, rare{name + ", rare feature (1 in 10)", {}, {}};
    for (long t = 1; t <= 500; ++t) {
      w.grad() = Array<float>{1.0f, t % 10 == 1 ? 1.0f : 0.0f};
      opt.step();
      const auto& acc = opt.state(w, state);
      for (auto [series, i] : {std::pair{&frequent, 0}, std::pair{&rare, 1}}) {
        series->x.push_back(static_cast<double>(t));
        series->y.push_back(lr / (std::sqrt(acc(i)) + (mean ? 1e-8 : 1e-10)));
      }
    }
    out.push_back(frequent);
    out.push_back(rare);
  };
  run(
      "Adagrad", [](Tensor w) { return Adagrad<float>(std::vector<Tensor>{w}, {.lr = 0.1}); }, "sum", 0.1, false);
  run(
      "RMSprop", [](Tensor w) { return RMSprop<float>(std::vector<Tensor>{w}, {.lr = 0.1}); }, "square_avg", 0.1, true);
  return out;
}

}  // namespace

int main(int argc, char** argv) try {
  const std::string out = argc == 3 && std::string(argv[1]) == "--out" ? argv[2] : "out/lr_schedules";
  draw(out, "schedules_step.svg", "Step-wise decay",
       {trace("StepLR(step_size=30, gamma=0.5)", make<StepLR>(StepLROptions{.step_size = 30, .gamma = 0.5})),
        trace("MultiStepLR(milestones={20, 50, 90}, gamma=0.3)",
              make<MultiStepLR>(MultiStepLROptions{.milestones = {20, 50, 90}, .gamma = 0.3})),
        trace("ExponentialLR(gamma=0.97)", make<ExponentialLR>(ExponentialLROptions{.gamma = 0.97}))});
  draw(out, "schedules_cosine.svg", "Cosine annealing and warm restarts",
       {trace("CosineAnnealingLR(T_max=120)", make<CosineAnnealingLR>(CosineAnnealingLROptions{.T_max = 120})),
        trace("CosineAnnealingWarmRestarts(T_0=10, T_mult=2)",
              make<CosineAnnealingWarmRestarts>(CosineAnnealingWarmRestartsOptions{.T_0 = 10, .T_mult = 2})),
        trace("CosineAnnealingWarmRestarts(T_0=30, eta_min=0.02)",
              make<CosineAnnealingWarmRestarts>(CosineAnnealingWarmRestartsOptions{.T_0 = 30, .eta_min = 0.02}))});
  draw(out, "schedules_cyclic.svg", "Cyclical learning rates (Smith 2017)",
       {trace("triangular", make<CyclicLR>(CyclicLROptions{.base_lr = 0.01, .max_lr = 0.1, .step_size_up = 15})),
        trace("triangular2",
              make<CyclicLR>(CyclicLROptions{
                  .base_lr = 0.01, .max_lr = 0.1, .step_size_up = 15, .mode = CyclicLRMode::triangular2})),
        trace(
            "exp_range(gamma=0.99)",
            make<CyclicLR>(CyclicLROptions{
                .base_lr = 0.01, .max_lr = 0.1, .step_size_up = 15, .mode = CyclicLRMode::exp_range, .gamma = 0.99}))});
  draw(out, "schedules_warmup.svg", "Warm-up and one-cycle",
       {trace("LinearLR(start_factor=0.1, total_iters=20)",
              make<LinearLR>(LinearLROptions{.start_factor = 0.1, .total_iters = 20})),
        trace("SequentialLR(LinearLR 10 steps, then CosineAnnealingLR)",
              [](OptimizerBase& opt) {
                auto warmup = std::make_shared<LinearLR>(opt, LinearLROptions{.start_factor = 0.1, .total_iters = 10});
                auto cosine = std::make_shared<CosineAnnealingLR>(opt, CosineAnnealingLROptions{.T_max = 110});
                return std::make_unique<SequentialLR>(opt, SequentialLROptions{{warmup, cosine}, {10}});
              }),
        trace("OneCycleLR(max_lr=0.1, cos)",
              make<OneCycleLR>(OneCycleLROptions{.max_lr = 0.1, .total_steps = steps + 2})),
        trace("OneCycleLR(max_lr=0.1, linear)",
              make<OneCycleLR>(OneCycleLROptions{
                  .max_lr = 0.1, .total_steps = steps + 2, .anneal_strategy = AnnealStrategy::linear}))});
  draw(
      out, "schedules_wsd.svg", "Warmup-stable-decay, polynomial and chained",
      {trace("WSD(10 warm-up, 70 stable, 40 decay, linear)",
             make<WSD>(WSDOptions{.warmup_steps = 10, .stable_steps = 70, .decay_steps = 40})),
       trace(
           "WSD(..., cosine, min_lr=0.01)",
           make<WSD>(WSDOptions{
               .warmup_steps = 10, .stable_steps = 70, .decay_steps = 40, .decay = WSDDecay::cosine, .min_lr = 0.01})),
       trace("WSD(..., sqrt)",
             make<WSD>(WSDOptions{.warmup_steps = 10, .stable_steps = 70, .decay_steps = 40, .decay = WSDDecay::sqrt})),
       trace("PolynomialLR(total_iters=100, power=2)",
             make<PolynomialLR>(PolynomialLROptions{.total_iters = 100, .power = 2.0})),
       trace("ChainedScheduler(ConstantLR(0.5, 20), MultiplicativeLR(0.98))", [](OptimizerBase& opt) {
         auto constant = std::make_shared<ConstantLR>(opt, ConstantLROptions{.factor = 0.5, .total_iters = 20});
         auto decay =
             std::make_shared<MultiplicativeLR>(opt, MultiplicativeLROptions{.lr_lambda = [](long) { return 0.98; }});
         return std::make_unique<ChainedScheduler>(opt, ChainedSchedulerOptions{{constant, decay}});
       })});
  plot::write_file(out + "/adagrad_effective_lr.svg",
                   plot::line_chart_svg(effective_lrs(), {.title = "Effective per-coordinate learning rate (lr 0.1)",
                                                          .x_label = "step",
                                                          .y_label = "lr / sqrt(accumulator)",
                                                          .log_y = true,
                                                          .width = 900}));
  std::printf("wrote %s/adagrad_effective_lr.svg\n", out.c_str());
} catch (const std::exception& e) {
  std::fprintf(stderr, "lr_schedules: %s\n", e.what());
  return 1;
}
