#pragma once
// Lookahead (Zhang, Lucas, Hinton & Ba, 2019, "Lookahead Optimizer: k steps
// forward, 1 step back", Algorithm 1; as optax.lookahead computes it, with
// its default reset_state = false): a wrapper around any optimizer. The
// inner optimizer moves the parameters (the fast weights θ); every k of its
// steps the slow weights φ, which start at the parameters' values, move alpha
// of the way towards the fast ones, and the fast ones restart from there:
//   φ ← φ + α·(θ − φ),  θ ← φ.
// The inner optimizer's state carries on through the synchronisation.
//
//   xg::optim::Adam inner(model.named_parameters(), {.lr = 1e-3});
//   xg::optim::Lookahead opt(inner, {.k = 5, .alpha = 0.5});
//   ... opt.step(); ...
//
// It holds the inner optimizer by reference (as a schedule holds its
// optimizer): both must stay alive together. lr, momentum and zero_grad are
// the inner optimizer's, so schedules and gradient clipping work through
// either. The saved state is the inner optimizer's with the slow weights and
// the count of steps since the last synchronisation under "lookahead.".

#include <cmath>
#include <cstdint>
#include <functional>
#include <optional>
#include <stdexcept>
#include <string>
#include <vector>

#include <xtensor/xnoalias.hpp>

#include <xgrad/core/error.hpp>
#include <xgrad/core/message.hpp>
#include <xgrad/optim/optimizer_base.hpp>
#include <xgrad/optim/option_range.hpp>

namespace xg::optim {

struct LookaheadOptions {
  std::int64_t k = 5;  // inner steps between synchronisations, >= 1
  double alpha = 0.5;  // the slow weights' step towards the fast ones, in [0, 1]
};

template <class Inner>
class Lookahead final : public OptimizerBase {
 public:
  using scalar_type = typename Inner::scalar_type;

  Lookahead(Inner& inner, const LookaheadOptions& options = {}) : inner_(inner), options_(options) {
    check(options);
    track_new_params();
  }

  Inner& inner() const { return inner_; }
  const LookaheadOptions& options() const { return options_; }
  // The slow weights of the inner optimizer's parameters, in the order of its groups.
  const std::vector<Array<scalar_type>>& slow_weights() const { return slow_; }
  std::int64_t steps_since_sync() const { return steps_since_sync_; }

  void step() override {
    check(options_);
    track_new_params();
    inner_.step();
    count_inner_step();
  }
  // The inner optimizer's step(closure), so that one which re-evaluates the
  // loss (LBFGS) runs inside the wrapper too; returns its loss.
  double step(const std::function<double()>& closure) override {
    check(options_);
    track_new_params();
    const double loss = inner_.step(closure);
    count_inner_step();
    return loss;
  }
  void zero_grad(bool set_to_none = true) override { inner_.zero_grad(set_to_none); }

  std::size_t num_param_groups() const override { return inner_.num_param_groups(); }
  double lr(std::size_t group = 0) const override { return inner_.lr(group); }
  void set_lr(double lr) override { inner_.set_lr(lr); }
  void set_lr(double lr, std::size_t group) override { inner_.set_lr(lr, group); }
  std::optional<double> momentum(std::size_t group = 0) const override { return inner_.momentum(group); }
  void set_momentum(double momentum, std::size_t group) override { inner_.set_momentum(momentum, group); }

  io::Archive state_dict() const override {
    io::Archive a = inner_.state_dict();
    a.put_integer("lookahead.k", options_.k);
    a.put_number("lookahead.alpha", options_.alpha);
    a.put_integer("lookahead.steps_since_sync", static_cast<std::int64_t>(steps_since_sync_));
    a.put_integer("lookahead.params", static_cast<std::int64_t>(slow_.size()));
    for (std::size_t i = 0; i < slow_.size(); ++i) a.put(slow_key(i), slow_[i]);
    return a;
  }
  // Checks the slow weights against the parameters, then loads the inner
  // optimizer's state (which checks its own), then the rest: on a mismatch
  // nothing changes.
  void load_state_dict(const io::Archive& a) override {
    const std::string where = "Lookahead.load_state_dict: ";
    if (!a.contains("lookahead.k"))
      throw std::invalid_argument(where + "the state was not saved by a Lookahead (no 'lookahead.k')");
    const double k = a.get_number("lookahead.k"), count = a.get_number("lookahead.steps_since_sync");
    if (!(k >= 1 && k < 9.0e15 && k == std::floor(k)))
      throw std::invalid_argument(where + "'lookahead.k' holds " + number_text(k) + ", expected a whole number >= 1");
    const LookaheadOptions options{static_cast<std::int64_t>(k), a.get_number("lookahead.alpha")};
    check(options);
    if (!(count >= 0 && count < k && count == std::floor(count)))
      throw std::invalid_argument(where + "'lookahead.steps_since_sync' holds " + number_text(count) +
                                  ", expected a whole number from 0 to k - 1");
    const auto params = all_params();
    const double saved_params = a.get_number("lookahead.params");
    if (saved_params != static_cast<double>(params.size()))
      throw std::invalid_argument(where + "the state holds the slow weights of " + number_text(saved_params) +
                                  " parameters, the inner " + Inner::name + " has " + std::to_string(params.size()));
    std::vector<Array<scalar_type>> slow;
    for (std::size_t i = 0; i < params.size(); ++i) {
      slow.push_back(a.get_array<scalar_type>(slow_key(i)));
      if (!shapes_equal(slow.back().shape(), params[i].value().shape()))
        throw_shape_error("Lookahead.load_state_dict",
                          "the saved '" + slow_key(i) + "' has shape " + shape_to_string(slow.back().shape()) +
                              " but the parameter has " + shape_to_string(params[i].value().shape()));
    }
    inner_.load_state_dict(a);
    options_ = options;
    steps_since_sync_ = static_cast<std::int64_t>(count);
    slow_ = std::move(slow);
  }

 private:
  // Every k inner steps: φ ← φ + α·(θ − φ), θ ← φ.
  void count_inner_step() {
    if (++steps_since_sync_ < options_.k) return;
    const scalar_type alpha = options_.alpha;
    std::size_t i = 0;
    for (const auto& group : inner_.param_groups())
      for (const auto& param : group.params) {
        Array<scalar_type>& slow = slow_[i++];
        Array<scalar_type>& fast = param.node()->value;
        xt::noalias(slow) += alpha * (fast - slow);
        xt::noalias(fast) = slow;
      }
    steps_since_sync_ = 0;
  }
  static void check(const LookaheadOptions& o) {
    check_option("Lookahead", "k", static_cast<double>(o.k), Range::positive);
    check_option("Lookahead", "alpha", o.alpha, Range::unit_closed);
  }
  std::vector<BasicTensor<scalar_type>> all_params() const {
    std::vector<BasicTensor<scalar_type>> params;
    for (const auto& group : inner_.param_groups())
      params.insert(params.end(), group.params.begin(), group.params.end());
    return params;
  }
  // Parameters added to the inner optimizer since: their slow weights start
  // at their current values.
  void track_new_params() {
    const auto params = all_params();
    for (std::size_t i = slow_.size(); i < params.size(); ++i) slow_.push_back(params[i].value());
  }
  // Keyed by parameter name when the inner optimizer has names.
  std::string slow_key(std::size_t position) const {
    std::size_t index = position;
    for (const auto& group : inner_.param_groups()) {
      if (index < group.params.size())
        return "lookahead.slow." + (group.param_names.empty() ? std::to_string(position) : group.param_names[index]);
      index -= group.params.size();
    }
    return "lookahead.slow." + std::to_string(position);
  }

  Inner& inner_;
  LookaheadOptions options_;
  std::vector<Array<scalar_type>> slow_;
  std::int64_t steps_since_sync_ = 0;
};

}  // namespace xg::optim
