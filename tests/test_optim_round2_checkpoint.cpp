// The optimizers and schedules of issue #16 part C through a checkpoint file
// (xg::save_checkpoint / load_checkpoint): train 7 steps, save, train 6 more,
// against loading into fresh objects and training the 6: bit for bit.
// Schedule-Free is saved in eval mode, as its reference advises.
#include <doctest/doctest.h>
#include <unistd.h>

#include <filesystem>
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include <xgrad/xgrad.hpp>

namespace {

namespace nn = xg::nn;
namespace optim = xg::optim;

// The model, its optimizer and schedule, built the same way for every run.
struct Run {
  nn::Sequential model{nn::Linear(3, 4), nn::Tanh(), nn::Linear(4, 2)};
  std::function<optim::OptimizerBase&()> optimizer;
  std::function<optim::LRScheduler&()> schedule;
  std::function<void()> before_save = [] {}, after_load = [] {};
};

void train_step(Run& run) {
  auto x = xg::randn({8, 3});
  std::vector<std::size_t> labels(8);
  for (std::size_t i = 0; i < 8; ++i) labels[i] = x.value()(i, 0) + x.value()(i, 1) > 0 ? 1 : 0;
  auto loss = nn::functional::cross_entropy(run.model(x), labels);
  run.optimizer().zero_grad();
  loss.backward();
  run.optimizer().step();
  run.schedule().step();
}

std::string parameter_bytes(const nn::Module& model) {
  std::string out;
  for (const auto& p : model.parameters())
    out.append(reinterpret_cast<const char*>(p.value().data()), p.numel() * sizeof(float));
  return out;
}

void check_checkpoint_resume(const std::function<void(Run&)>& build, const std::string& label) {
  const std::string path =
      (std::filesystem::temp_directory_path() / ("xgrad_round2_" + label + "_" + std::to_string(::getpid()))).string();
  constexpr int first = 7, rest = 6;
  xg::manual_seed(3);
  Run straight;
  build(straight);
  for (int i = 0; i < first + rest; ++i) train_step(straight);
  straight.before_save();
  const std::string expected = parameter_bytes(straight.model);

  xg::manual_seed(3);
  Run stopped;
  build(stopped);
  for (int i = 0; i < first; ++i) train_step(stopped);
  stopped.before_save();
  xg::save_checkpoint(path, stopped.model, stopped.optimizer(), &stopped.schedule(), {.epoch = 1, .step = first});
  const std::string saved_parameters = parameter_bytes(stopped.model);

  xg::manual_seed(99);
  Run resumed;
  build(resumed);
  train_step(resumed);  // other state, all replaced by the load
  const auto extra = xg::load_checkpoint(path, resumed.model, resumed.optimizer(), &resumed.schedule());
  std::filesystem::remove(path);
  CHECK(extra.step == first);
  resumed.after_load();
  for (int i = 0; i < rest; ++i) train_step(resumed);
  resumed.before_save();
  CHECK(parameter_bytes(resumed.model) == expected);
  CHECK(saved_parameters != expected);
}

}  // namespace

TEST_CASE("checkpoint: SGDScheduleFree and AdamWScheduleFree saved in eval mode, with WSD and SWALR") {
  check_checkpoint_resume(
      [](Run& run) {
        auto opt = std::make_shared<optim::SGDScheduleFree<float>>(
            run.model.named_parameters(), optim::SGDScheduleFreeOptions{.lr = 0.5, .warmup_steps = 3});
        auto sched = std::make_shared<optim::WSD>(
            *opt,
            optim::WSDOptions{.warmup_steps = 2, .stable_steps = 4, .decay_steps = 8, .decay = optim::WSDDecay::sqrt});
        run.optimizer = [opt]() -> optim::OptimizerBase& { return *opt; };
        run.schedule = [sched]() -> optim::LRScheduler& { return *sched; };
        run.before_save = [opt] { opt->eval(); };
        run.after_load = [opt] { opt->train(); };
      },
      "sgd_schedule_free");
  check_checkpoint_resume(
      [](Run& run) {
        auto opt = std::make_shared<optim::AdamWScheduleFree<float>>(
            run.model.named_parameters(), optim::AdamWScheduleFreeOptions{.lr = 0.01, .weight_decay = 0.01, .r = 1});
        auto sched = std::make_shared<optim::SWALR>(*opt, optim::SWALROptions{.swa_lr = 0.002, .anneal_epochs = 9});
        run.optimizer = [opt]() -> optim::OptimizerBase& { return *opt; };
        run.schedule = [sched]() -> optim::LRScheduler& { return *sched; };
        run.before_save = [opt] { opt->eval(); };
        run.after_load = [opt] { opt->train(); };
      },
      "adamw_schedule_free");
}

TEST_CASE("checkpoint: Lookahead around Adam, with ChainedScheduler(ConstantLR, MultiplicativeLR, PolynomialLR)") {
  check_checkpoint_resume(
      [](Run& run) {
        auto inner = std::make_shared<optim::Adam<float>>(run.model.named_parameters(), optim::AdamOptions{.lr = 0.02});
        auto opt = std::make_shared<optim::Lookahead<optim::Adam<float>>>(*inner, optim::LookaheadOptions{.k = 4});
        auto constant =
            std::make_shared<optim::ConstantLR>(*opt, optim::ConstantLROptions{.factor = 0.5, .total_iters = 5});
        auto multiplicative = std::make_shared<optim::MultiplicativeLR>(
            *opt, optim::MultiplicativeLROptions{.lr_lambda = [](long) { return 0.97; }});
        auto poly = std::make_shared<optim::PolynomialLR>(*opt, optim::PolynomialLROptions{.total_iters = 20});
        auto sched = std::make_shared<optim::ChainedScheduler>(
            *opt, optim::ChainedSchedulerOptions{.schedulers = {constant, multiplicative, poly}});
        run.optimizer = [inner, opt]() -> optim::OptimizerBase& { return *opt; };
        run.schedule = [sched]() -> optim::LRScheduler& { return *sched; };
      },
      "lookahead");
}
