#pragma once
// An optimizer that only holds an lr (and optionally a momentum) per param
// group, so that schedules can be tested on OptimizerBase alone.

#include <optional>
#include <stdexcept>
#include <string>
#include <vector>

#include <doctest/doctest.h>

#include <xgrad/optim/optimizer_base.hpp>
#include <xgrad/optim/schedulers/lr_scheduler.hpp>

class FakeOptimizer final : public xg::optim::OptimizerBase {
 public:
  explicit FakeOptimizer(std::vector<double> lrs, std::optional<double> momentum = std::nullopt)
      : lrs_(std::move(lrs)), momenta_(lrs_.size(), momentum) {}

  void step() override {}
  void zero_grad(bool) override {}
  std::size_t num_param_groups() const override { return lrs_.size(); }
  double lr(std::size_t group = 0) const override { return lrs_.at(group); }
  void set_lr(double lr) override {
    for (double& l : lrs_) l = lr;
  }
  void set_lr(double lr, std::size_t group) override { lrs_.at(group) = lr; }
  std::optional<double> momentum(std::size_t group = 0) const override { return momenta_.at(group); }
  void set_momentum(double momentum, std::size_t group) override {
    if (!momenta_.at(group)) throw std::invalid_argument("FakeOptimizer.set_momentum: no momentum");
    momenta_[group] = momentum;
  }
  // The lr and momentum of every group, as a real optimizer's state holds them.
  xg::io::Archive state_dict() const override {
    xg::io::Archive archive;
    for (std::size_t g = 0; g < lrs_.size(); ++g) {
      archive.put_number("lr." + std::to_string(g), lrs_[g]);
      if (momenta_[g]) archive.put_number("momentum." + std::to_string(g), *momenta_[g]);
    }
    return archive;
  }
  void load_state_dict(const xg::io::Archive& archive) override {
    for (std::size_t g = 0; g < lrs_.size(); ++g) {
      lrs_[g] = archive.get_number("lr." + std::to_string(g));
      if (momenta_[g]) momenta_[g] = archive.get_number("momentum." + std::to_string(g));
    }
  }

  void add_group(double lr) {
    lrs_.push_back(lr);
    momenta_.push_back(std::nullopt);
  }

 private:
  std::vector<double> lrs_;
  std::vector<std::optional<double>> momenta_;
};

// The tolerance for a schedule against its documented formula:
// 1e-9, relative to max(1, |value|) as doctest::Approx measures it.
inline doctest::Approx near(double expected) { return doctest::Approx(expected).epsilon(1e-9); }

constexpr long kSteps = 60;

// Checks the lr the schedule set (in the optimizer and get_last_lr) at epochs
// 0..kSteps against expected(epoch, group), stepping in between.
template <class Expected>
void check_sequence(xg::optim::LRScheduler& sched, const FakeOptimizer& opt, Expected expected) {
  for (long epoch = 0; epoch <= kSteps; ++epoch) {
    if (epoch > 0) sched.step();
    INFO("epoch " << epoch);
    REQUIRE(sched.last_epoch() == epoch);
    for (std::size_t g = 0; g < opt.num_param_groups(); ++g) {
      CHECK(opt.lr(g) == near(expected(epoch, g)));
      CHECK(sched.get_last_lr()[g] == opt.lr(g));
      CHECK(sched.lr_at(epoch, g) == opt.lr(g));
    }
  }
}
