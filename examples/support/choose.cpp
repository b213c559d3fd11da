#include "choose.hpp"

#include <algorithm>
#include <cctype>
#include <functional>
#include <optional>
#include <stdexcept>
#include <string>
#include <utility>

namespace xg::examples {

namespace {
std::string lower(std::string s) {
  std::transform(s.begin(), s.end(), s.begin(), [](unsigned char c) { return std::tolower(c); });
  return s;
}

// Muon as it is meant to be used: Muon for the hidden weight matrices, AdamW
// for the rest (biases and the output layer's weight, the last matrix). Muon
// scales its step to AdamW's RMS (match_rms_adamw), so both share the lr;
// group 0 is Muon's, group 1 AdamW's.
class MuonWithAdamW final : public optim::OptimizerBase {
 public:
  MuonWithAdamW(NamedTensors<float> params, double lr)
      : muon_(split(params).first, {.lr = lr, .adjust_lr_fn = optim::MuonAdjustLR::match_rms_adamw}),
        adamw_(split(params).second, {.lr = lr}) {}

  void step() override {
    muon_.step();
    adamw_.step();
  }
  void zero_grad(bool set_to_none = false) override {
    muon_.zero_grad(set_to_none);
    adamw_.zero_grad(set_to_none);
  }
  std::size_t num_param_groups() const override { return 2; }
  double lr(std::size_t group = 0) const override { return part(group).lr(); }
  void set_lr(double lr) override {
    muon_.set_lr(lr);
    adamw_.set_lr(lr);
  }
  void set_lr(double lr, std::size_t group) override { part(group).set_lr(lr); }
  std::optional<double> momentum(std::size_t group = 0) const override { return part(group).momentum(); }
  void set_momentum(double momentum, std::size_t group) override { part(group).set_momentum(momentum, 0); }
  io::Archive state_dict() const override {
    io::Archive a;
    a.put_string("optimizer", "Muon+AdamW");
    a.put_string("muon", muon_.state_dict().to_bytes("optimizer"));
    a.put_string("adamw", adamw_.state_dict().to_bytes("optimizer"));
    return a;
  }
  void load_state_dict(const io::Archive& state) override {
    if (state.get_string("optimizer") != "Muon+AdamW")
      throw std::invalid_argument("Muon+AdamW.load_state_dict: the state was saved by " +
                                  state.get_string("optimizer"));
    const auto muon = io::Archive::from_bytes(state.get_string("muon"), "optimizer");
    const auto adamw = io::Archive::from_bytes(state.get_string("adamw"), "optimizer");
    // Muon's state is checked against AdamW's load before either changes.
    const io::Archive muon_before = muon_.state_dict();
    muon_.load_state_dict(muon);
    try {
      adamw_.load_state_dict(adamw);
    } catch (...) {
      muon_.load_state_dict(muon_before);
      throw;
    }
  }

 private:
  static std::pair<NamedTensors<float>, NamedTensors<float>> split(const NamedTensors<float>& params) {
    std::size_t last_matrix = params.size();
    for (std::size_t i = 0; i < params.size(); ++i)
      if (params[i].second.value().dimension() == 2) last_matrix = i;
    std::pair<NamedTensors<float>, NamedTensors<float>> parts;
    for (std::size_t i = 0; i < params.size(); ++i)
      (params[i].second.value().dimension() == 2 && i != last_matrix ? parts.first : parts.second).push_back(params[i]);
    if (parts.first.empty())
      throw std::invalid_argument(
          "Muon: the model has no hidden weight matrix (Muon takes the 2-D weights "
          "before the output layer; AdamW the rest)");
    return parts;
  }
  const optim::OptimizerBase& part(std::size_t group) const {
    if (group > 1) throw std::invalid_argument("Muon+AdamW: there is no group " + std::to_string(group));
    return group == 0 ? static_cast<const optim::OptimizerBase&>(muon_) : adamw_;
  }
  optim::OptimizerBase& part(std::size_t group) {
    return const_cast<optim::OptimizerBase&>(static_cast<const MuonWithAdamW&>(*this).part(group));
  }

  optim::Muon<float> muon_;
  optim::AdamW<float> adamw_;
};

// Lookahead around Adam (the pairing of Zhang et al. 2019's experiments,
// k = 5, alpha = 0.5): owns the inner optimizer the wrapper refers to.
class LookaheadAdam final : public optim::OptimizerBase {
 public:
  LookaheadAdam(NamedTensors<float> params, double lr) : inner_(std::move(params), {.lr = lr}), lookahead_(inner_) {}

  void step() override { lookahead_.step(); }
  double step(const std::function<double()>& closure) override { return lookahead_.step(closure); }
  void zero_grad(bool set_to_none = false) override { lookahead_.zero_grad(set_to_none); }
  std::size_t num_param_groups() const override { return lookahead_.num_param_groups(); }
  double lr(std::size_t group = 0) const override { return lookahead_.lr(group); }
  void set_lr(double lr) override { lookahead_.set_lr(lr); }
  void set_lr(double lr, std::size_t group) override { lookahead_.set_lr(lr, group); }
  std::optional<double> momentum(std::size_t group = 0) const override { return lookahead_.momentum(group); }
  void set_momentum(double momentum, std::size_t group) override { lookahead_.set_momentum(momentum, group); }
  io::Archive state_dict() const override { return lookahead_.state_dict(); }
  void load_state_dict(const io::Archive& state) override { lookahead_.load_state_dict(state); }

 private:
  optim::Adam<float> inner_;
  optim::Lookahead<optim::Adam<float>> lookahead_;
};

template <class ScheduleFree>
bool switch_schedule_free(optim::OptimizerBase& optimizer, bool to_eval) {
  auto* schedule_free = dynamic_cast<ScheduleFree*>(&optimizer);
  if (!schedule_free) return false;
  if (to_eval)
    schedule_free->eval();
  else
    schedule_free->train();
  return true;
}

void switch_mode(optim::OptimizerBase& optimizer, bool to_eval) {
  switch_schedule_free<optim::SGDScheduleFree<float>>(optimizer, to_eval) ||
      switch_schedule_free<optim::AdamWScheduleFree<float>>(optimizer, to_eval);
}

}  // namespace

EvaluateAtAverage::EvaluateAtAverage(optim::OptimizerBase& optimizer) : optimizer_(optimizer) {
  switch_mode(optimizer_, /*to_eval=*/true);
}
EvaluateAtAverage::~EvaluateAtAverage() { switch_mode(optimizer_, /*to_eval=*/false); }

std::unique_ptr<optim::OptimizerBase> make_optimizer(const std::string& name, NamedTensors<float> params, double lr) {
  using namespace xg::optim;
  using P = NamedTensors<float>;
  const std::string n = lower(name);
  if (n == "sgd") return std::make_unique<SGD<float>>(P(params), SGDOptions{.lr = lr});
  if (n == "momentum") return std::make_unique<SGD<float>>(P(params), SGDOptions{.lr = lr, .momentum = 0.9});
  if (n == "nesterov")
    return std::make_unique<SGD<float>>(P(params), SGDOptions{.lr = lr, .momentum = 0.9, .nesterov = true});
  if (n == "adagrad") return std::make_unique<Adagrad<float>>(P(params), AdagradOptions{.lr = lr});
  if (n == "rmsprop") return std::make_unique<RMSprop<float>>(P(params), RMSpropOptions{.lr = lr});
  if (n == "adadelta") return std::make_unique<Adadelta<float>>(P(params), AdadeltaOptions{.lr = lr});
  if (n == "adam") return std::make_unique<Adam<float>>(P(params), AdamOptions{.lr = lr});
  if (n == "amsgrad") return std::make_unique<Adam<float>>(P(params), AdamOptions{.lr = lr, .amsgrad = true});
  if (n == "adamw") return std::make_unique<AdamW<float>>(P(params), AdamWOptions{.lr = lr});
  if (n == "adamax") return std::make_unique<Adamax<float>>(P(params), AdamaxOptions{.lr = lr});
  if (n == "nadam") return std::make_unique<NAdam<float>>(P(params), NAdamOptions{.lr = lr});
  if (n == "radam") return std::make_unique<RAdam<float>>(P(params), RAdamOptions{.lr = lr});
  if (n == "sgdschedulefree")
    return std::make_unique<SGDScheduleFree<float>>(P(params), SGDScheduleFreeOptions{.lr = lr});
  if (n == "adamwschedulefree")
    return std::make_unique<AdamWScheduleFree<float>>(P(params), AdamWScheduleFreeOptions{.lr = lr});
  if (n == "rprop") return std::make_unique<Rprop<float>>(P(params), RpropOptions{.lr = lr});
  if (n == "asgd") return std::make_unique<ASGD<float>>(P(params), ASGDOptions{.lr = lr});
  if (n == "adafactor") return std::make_unique<Adafactor<float>>(P(params), AdafactorOptions{.lr = lr});
  if (n == "lbfgs") return std::make_unique<LBFGS<float>>(P(params), LBFGSOptions{.lr = lr});
  if (n == "muon") return std::make_unique<MuonWithAdamW>(P(params), lr);
  if (n == "lion") return std::make_unique<Lion<float>>(P(params), LionOptions{.lr = lr});
  if (n == "lamb") return std::make_unique<LAMB<float>>(P(params), LAMBOptions{.lr = lr});
  if (n == "yogi") return std::make_unique<Yogi<float>>(P(params), YogiOptions{.lr = lr});
  if (n == "adabelief") return std::make_unique<AdaBelief<float>>(P(params), AdaBeliefOptions{.lr = lr});
  if (n == "ftrl") return std::make_unique<Ftrl<float>>(P(params), FtrlOptions{.lr = lr});
  if (n == "shampoo") return std::make_unique<Shampoo<float>>(P(params), ShampooOptions{.lr = lr});
  if (n == "lookahead") return std::make_unique<LookaheadAdam>(P(params), lr);
  throw std::invalid_argument("unknown optimizer '" + name +
                              "'; choose one of SGD Momentum Nesterov Adagrad RMSprop Adadelta Adam AMSGrad AdamW "
                              "Adamax NAdam RAdam SGDScheduleFree AdamWScheduleFree Rprop ASGD Adafactor LBFGS Muon "
                              "Lion LAMB Yogi AdaBelief Ftrl Shampoo Lookahead");
}

std::unique_ptr<optim::LRScheduler> make_schedule(const std::string& name, optim::OptimizerBase& optimizer,
                                                  int epochs) {
  using namespace xg::optim;
  const std::string n = lower(name);
  const long e = std::max(1, epochs);
  if (n == "none") return nullptr;
  if (n == "step") return std::make_unique<StepLR>(optimizer, StepLROptions{.step_size = std::max(1L, e / 3)});
  if (n == "exponential") return std::make_unique<ExponentialLR>(optimizer, ExponentialLROptions{.gamma = 0.95});
  if (n == "cosine") return std::make_unique<CosineAnnealingLR>(optimizer, CosineAnnealingLROptions{.T_max = e});
  if (n == "warmup")
    return std::make_unique<LinearLR>(optimizer,
                                      LinearLROptions{.start_factor = 0.1, .total_iters = std::max(1L, e / 10)});
  if (n == "onecycle")
    return std::make_unique<OneCycleLR>(
        optimizer,
        OneCycleLROptions{
            .max_lr = optimizer.lr(), .total_steps = e + 1, .cycle_momentum = optimizer.momentum().has_value()});
  throw std::invalid_argument("unknown schedule '" + name +
                              "'; choose one of none step exponential cosine warmup onecycle");
}

}  // namespace xg::examples
