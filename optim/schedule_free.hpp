#pragma once
// What Schedule-Free SGD and AdamW share (Defazio et al. 2024, "The Road Less
// Scheduled"; facebookresearch/schedule_free, *_schedulefree_reference.py):
// three sequences per parameter, the base iterate z that the gradient steps
// move, the average x of the z's (the point to evaluate), and y, their
// interpolation, where the gradient is taken. While training the parameters
// hold y; eval() puts x in them and keeps y, train() puts y back, as the
// reference does. A step in eval mode throws; the saved state records the
// mode, and a state saved in eval mode holds y (the reference advises saving
// in eval mode, with x in the model).
//
// x_{t+1} = (1 - c_{t+1}) x_t + c_{t+1} z_{t+1} with
// c_{t+1} = w_{t+1} / sum_{i <= t+1} w_i,  w_i = i^r * lr_max^weight_lr_power,
// lr_max the largest scheduled lr so far, which makes x the w-weighted mean
// of z_1 ... z_{t+1}. The reference counts steps, weight_sum and lr_max per
// param group; here they are per parameter (the base's step count), which is
// the same while every parameter of a group gets a gradient at every step.
//
// The optimizer's state_names begin with "z", "x", "y"; its scalar_state is
// weight_sum and lr_max.

#include <algorithm>
#include <array>
#include <cmath>
#include <cstdint>
#include <stdexcept>
#include <string>
#include <string_view>

#include <xgrad/optim/optimizer.hpp>

namespace xg::optim {

template <class Scalar, class Options, class Derived>
class ScheduleFree : public Optimizer<Scalar, Options, Derived> {
  using Base = Optimizer<Scalar, Options, Derived>;
  static constexpr std::size_t z_slot = 0, x_slot = 1, y_slot = 2;

 public:
  using Base::Base;

  static constexpr std::array<ScalarState, 2> scalar_state{{{"weight_sum", 0.0}, {"lr_max", -1.0}}};

  // The parameters take x, the average; y is kept for train().
  void eval() {
    check_slots();
    if (!train_mode_) return;
    this->for_each_param_state([](const Options&, Array<Scalar>& param, ParamState<Scalar>& state) {
      state.buffers[y_slot] = param;
      param = *state.buffers[x_slot];
    });
    train_mode_ = false;
  }
  // The parameters take y back, where the next gradient is taken.
  void train() {
    check_slots();
    if (train_mode_) return;
    this->for_each_param_state([](const Options&, Array<Scalar>& param, ParamState<Scalar>& state) {
      if (!state.buffers[y_slot]) return;  // as the reference, which restores only a y it has
      param = std::move(*state.buffers[y_slot]);
      state.buffers[y_slot].reset();
    });
    train_mode_ = true;
  }
  bool training() const { return train_mode_; }

  void step() override {
    if (!train_mode_)
      throw std::logic_error(std::string(Derived::name) +
                             ".step: the optimizer is in eval mode (the parameters hold the average x); call train() "
                             "before stepping");
    Base::step();
  }

  io::Archive state_dict() const override {
    io::Archive a = Base::state_dict();
    a.put_number("train_mode", train_mode_ ? 1.0 : 0.0);
    return a;
  }
  void load_state_dict(const io::Archive& a) override {
    const double mode = a.get_number("train_mode");
    if (mode != 0.0 && mode != 1.0)
      throw std::invalid_argument(std::string(Derived::name) + ".load_state_dict: the flag 'train_mode' holds " +
                                  std::to_string(mode) + ", expected 0 or 1");
    Base::load_state_dict(a);
    train_mode_ = mode == 1.0;
  }

 protected:
  // The scheduled lr's warm-up factor at step k (from 0): (k + 1) / warmup_steps, then 1.
  static double warmup_factor(const Options& o, std::int64_t k) {
    return k < o.warmup_steps ? static_cast<double>(k + 1) / static_cast<double>(o.warmup_steps) : 1.0;
  }
  // c_{k+1}, the weight of the new z in x, for this step's scheduled lr;
  // adds w_{k+1} to weight_sum and updates lr_max. 0 while every weight is 0,
  // as the reference's ZeroDivisionError branch.
  static double average_weight(const Options& o, ParamState<Scalar>& state, double scheduled_lr) {
    double& weight_sum = state.scalars[0];
    double& lr_max = state.scalars[1];
    lr_max = std::max(scheduled_lr, lr_max);
    const double weight = std::pow(static_cast<double>(state.step), o.r) * std::pow(lr_max, o.weight_lr_power);
    weight_sum += weight;
    return weight_sum == 0.0 ? 0.0 : weight / weight_sum;
  }
  // z and x start at the parameter's value.
  static void start_sequences(ParamState<Scalar>& state, const Array<Scalar>& param) {
    if (state.buffers[z_slot]) return;
    state.buffers[z_slot] = param;
    state.buffers[x_slot] = param;
  }

 private:
  static void check_slots() {
    static_assert(Derived::state_names.size() >= 3);
    static_assert(std::string_view(Derived::state_names[z_slot]) == "z" &&
                  std::string_view(Derived::state_names[x_slot]) == "x" &&
                  std::string_view(Derived::state_names[y_slot]) == "y");
  }

  bool train_mode_ = true;
};

}  // namespace xg::optim
