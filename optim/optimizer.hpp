#pragma once
// What every optimizer shares, written once: parameter groups with their own
// options, skipping parameters without a gradient, per-parameter state,
// checking options, and saving/loading the state. An optimizer (sgd.hpp,
// adam.hpp, ...) supplies only its policy, as ensmallen separates an update
// policy from the loop that applies it:
//
//   template <class Scalar>
//   class Adam final : public Optimizer<Scalar, AdamOptions, Adam<Scalar>> {
//     static constexpr const char* name = "Adam";
//     // PyTorch's keys of optimizer.state[p], in the order of ParamState::buffers.
//     static constexpr std::array<const char*, 3> state_names{"exp_avg", ...};
//     // (the update finds a buffer by name: state_slot(state_names, "exp_avg"))
//     // visit(name, field[, range]) for every option, in PyTorch's order.
//     static void for_each_option(auto& options, auto&& visit);
//     // The formula, applied to one parameter whose gradient exists.
//     static void update(const AdamOptions&, ParamState<Scalar>&, Array<Scalar>& param,
//                        const Array<Scalar>& grad);
//   };
//
// and optionally `scalar_state` (named numbers with their initial values, as
// NAdam's mu_product), `check_constraints(options)` for constraints between
// options, and `state_shape(k, param_shape)` for state buffers not shaped
// like their parameter (a factored or matrix preconditioner), created with
// ParamState::buffer_of_shape; `non_negative_state` (the state_names of
// buffers that can never be negative, such as a running mean of squares),
// which load_state_dict refuses to load with a negative element (every
// loaded buffer and scalar must be finite); and `check_parameter(which,
// shape)` for an optimizer that accepts only some shapes (Muon: matrices),
// called for every parameter when it is added and before every step.
//
// Options are numbers (double), lists of numbers (std::array<double, N>),
// whole numbers (std::int64_t), numbers that may be unset
// (std::optional<double>), flags (bool) and enumerations, which the
// optimizer's check_constraints validates.
//
// `grad` is the whole gradient, or the rows of a row-sparse one
// (optim/gradient.hpp). A row-sparse gradient is handled in one of three ways:
//   exact  `sparse_exact(options)` is true: a zero gradient row leaves the
//          parameter as it is, so only the held rows are updated, after their
//          state has been multiplied by `idle_decay(options)[k]` (per buffer)
//          once for each step the row was skipped;
//   lazy   the options' `lazy` flag: only the held rows are updated, an
//          approximation the user asked for;
//   dense  otherwise the gradient is made dense and the usual update runs.
//
// After the class, XGRAD_DECLARE_OPTIMIZER(Adam, AdamOptions) declares what
// every optimizer header needs; the member definitions are in
// optimizer_impl.hpp, which each optimizer's .cpp includes to instantiate
// them for float and double with XGRAD_INSTANTIATE_OPTIMIZER.

#include <cstddef>
#include <cstdint>
#include <initializer_list>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <unordered_set>
#include <utility>
#include <vector>

#include <xgrad/core/tensor.hpp>
#include <xgrad/optim/gradient.hpp>
#include <xgrad/optim/optimizer_base.hpp>
#include <xgrad/optim/option_range.hpp>
#include <xgrad/optim/param_group.hpp>
#include <xgrad/optim/param_state.hpp>
#include <xgrad/optim/state_slot.hpp>

namespace xg::optim {

// A named number of per-parameter state and its value before the first step.
struct ScalarState {
  const char* name;
  double initial;
};

template <class Scalar, class Options, class Derived>
class Optimizer : public OptimizerBase {
 public:
  using scalar_type = Scalar;
  using options_type = Options;
  using Group = ParamGroup<Scalar, Options>;

  // One group holding `params`, with `defaults` as its options. Named
  // parameters (Module::named_parameters()) key the saved state by name.
  explicit Optimizer(std::vector<BasicTensor<Scalar>> params, Options defaults = {});
  explicit Optimizer(NamedTensors<Scalar> params, Options defaults = {});

  // A further group, with the options the optimizer was built with, or with
  // `options` as given (a field left out takes PyTorch's default, not the
  // first group's: start from defaults() to change only some). Named and
  // unnamed groups do not mix.
  void add_param_group(std::vector<BasicTensor<Scalar>> params);
  void add_param_group(std::vector<BasicTensor<Scalar>> params, Options options);
  void add_param_group(NamedTensors<Scalar> params);
  void add_param_group(NamedTensors<Scalar> params, Options options);

  const std::vector<Group>& param_groups() const { return groups_; }
  // A group's options, to change any of them between steps (checked at the
  // next step; set_lr and set_momentum check at once).
  Options& options(std::size_t group = 0);
  const Options& options(std::size_t group = 0) const;
  // The options the optimizer was built with.
  const Options& defaults() const { return defaults_; }

  // optimizer.state[param][name] in PyTorch: a state buffer of a parameter
  // that has been updated at least once. After exact row-sparse steps of
  // RMSprop or Adadelta, rows not touched lately still owe their decay; it is
  // applied when the row is next updated.
  const Array<Scalar>& state(const BasicTensor<Scalar>& param, std::string_view name) const;
  // Updates applied to `param` so far (0 before its first gradient).
  std::int64_t step_count(const BasicTensor<Scalar>& param) const;

  using OptimizerBase::step;
  void step() override;
  void zero_grad(bool set_to_none = true) override;

  std::size_t num_param_groups() const override { return groups_.size(); }
  double lr(std::size_t group = 0) const override;
  void set_lr(double lr) override;
  void set_lr(double lr, std::size_t group) override;
  std::optional<double> momentum(std::size_t group = 0) const override;
  void set_momentum(double momentum, std::size_t group) override;

  io::Archive state_dict() const override;
  void load_state_dict(const io::Archive& state) override;

 protected:
  // Calls visit(options, param, state) for every parameter that has state:
  // for optimizers that change their parameters between steps
  // (Schedule-Free's train() and eval() swap in another point of its state).
  template <class Visit>
  void for_each_param_state(Visit&& visit) {
    for (Group& group : groups_)
      for (auto& param : group.params)
        if (auto it = state_.find(param.node().get()); it != state_.end())
          visit(std::as_const(group.options), param.node()->value, it->second);
  }

 private:
  using NodePtr = const Node<Scalar>*;

  void add_group(std::vector<BasicTensor<Scalar>> params, std::vector<std::string> names, Options options);
  static void check_options(const Options& options);
  // The shape state buffer `k` of `param` must have.
  static Shape state_shape(std::size_t k, const Array<Scalar>& param);
  std::size_t checked_group(const char* function, std::size_t group) const;
  std::string describe(std::size_t group, std::size_t index) const;
  std::string state_key(std::size_t group, std::size_t index, std::size_t position) const;
  ParamState<Scalar> fresh_state() const;
  static void update_param(const Options& options, ParamState<Scalar>& state, Node<Scalar>& node);
  void check_state_shapes(const ParamState<Scalar>& s, const Array<Scalar>& param, std::size_t group,
                          std::size_t index) const;
  // A loaded state buffer `k` must be finite, and >= 0 if non_negative_state names it.
  void check_saved_values(const Array<Scalar>& buffer, std::size_t k, std::size_t group, std::size_t index) const;
  // Every "state.<parameter>.<entry>" of a loaded state must name one of
  // `known_keys` (the "state.<parameter>." prefixes of this optimizer) and
  // an entry this optimizer keeps.
  void check_saved_names(const io::Archive& state, const std::unordered_set<std::string>& known_keys) const;

  Options defaults_;
  std::vector<Group> groups_;
  bool named_ = false;
  std::unordered_map<NodePtr, ParamState<Scalar>> state_;
};

}  // namespace xg::optim

// In namespace xg::optim, after an optimizer's class: the deduction guides
// that make `Adam opt(params, {.lr = 0.1})` an Adam<float> or Adam<double>,
// and the extern templates that keep user code from instantiating the
// members the optimizer's .cpp instantiates (XGRAD_INSTANTIATE_OPTIMIZER).
#define XGRAD_DECLARE_OPTIMIZER(Name, NameOptions)                          \
  template <class S>                                                        \
  Name(std::vector<BasicTensor<S>>, NameOptions = {}) -> Name<S>;           \
  template <class S>                                                        \
  Name(std::initializer_list<BasicTensor<S>>, NameOptions = {}) -> Name<S>; \
  template <class S>                                                        \
  Name(NamedTensors<S>, NameOptions = {}) -> Name<S>;                       \
  extern template class Optimizer<float, NameOptions, Name<float>>;         \
  extern template class Optimizer<double, NameOptions, Name<double>>;       \
  extern template class Name<float>;                                        \
  extern template class Name<double>
