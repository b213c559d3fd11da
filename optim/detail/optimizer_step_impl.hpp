#pragma once
// Member definitions of Optimizer: the step, with its checks before any
// update and the dense, exact row-sparse and lazy paths of one parameter
// (optimizer_impl.hpp includes it).

#include <array>
#include <cmath>
#include <cstdint>
#include <string>

#include <xgrad/core/error.hpp>
#include <xgrad/optim/optimizer.hpp>

namespace xg::optim {

template <class Scalar, class Options, class Derived>
void Optimizer<Scalar, Options, Derived>::check_state_shapes(const ParamState<Scalar>& s, const Array<Scalar>& param,
                                                             std::size_t group, std::size_t index) const {
  constexpr bool own_shapes = requires { Derived::state_shape(std::size_t{}, Shape{}); };
  for (std::size_t k = 0; k < s.buffers.size(); ++k)
    if (s.buffers[k] && !(own_shapes ? shapes_equal(s.buffers[k]->shape(), state_shape(k, param))
                                     : shapes_equal(s.buffers[k]->shape(), param.shape())))
      throw_shape_error(std::string(Derived::name) + ".step",
                        "the state '" + std::string(Derived::state_names[k]) + "' of " + describe(group, index) +
                            " has shape " + shape_to_string(s.buffers[k]->shape()) + " but the parameter now has " +
                            shape_to_string(param.shape()) + " (was its value replaced?)");
  if (!s.row_step.empty() && (param.dimension() == 0 || s.row_step.size() != param.shape()[0]))
    throw_shape_error(std::string(Derived::name) + ".step",
                      "the state of " + describe(group, index) + " tracks " + std::to_string(s.row_step.size()) +
                          " rows but the parameter now has shape " + shape_to_string(param.shape()) +
                          " (was its value replaced?)");
}

template <class Scalar, class Options, class Derived>
void Optimizer<Scalar, Options, Derived>::step() {
  // Everything is checked before anything is updated, so a failing step
  // leaves every parameter and its state as they were.
  for (std::size_t g = 0; g < groups_.size(); ++g) {
    check_options(groups_[g].options);
    for (std::size_t i = 0; i < groups_[g].params.size(); ++i) {
      const Node<Scalar>& node = *groups_[g].params[i].node();
      if (!node.has_grad && !node.sparse_grad) continue;
      if constexpr (requires { Derived::check_parameter(std::string{}, Shape{}); })
        Derived::check_parameter(describe(g, i), to_shape(node.value.shape()));
      if (node.has_grad && !shapes_equal(node.grad.shape(), node.value.shape()))
        throw_shape_error(std::string(Derived::name) + ".step",
                          "the gradient of " + describe(g, i) + " has shape " + shape_to_string(node.grad.shape()) +
                              " but the parameter has shape " + shape_to_string(node.value.shape()));
      if (node.sparse_grad)
        check_rows_fit((std::string(Derived::name) + ".step").c_str(), *node.sparse_grad,
                       {node.value.shape().data(), node.value.shape().size()}, RowCheck::range);
      if (auto it = state_.find(&node); it != state_.end()) check_state_shapes(it->second, node.value, g, i);
    }
  }
  for (const Group& group : groups_) {
    for (const auto& param : group.params) {
      Node<Scalar>& node = *param.node();
      if (!node.has_grad && !node.sparse_grad) continue;
      auto [it, created] = state_.try_emplace(&node);
      if (created) it->second = fresh_state();
      ++it->second.step;
      // An update that throws (Shampoo's refused statistic) changed nothing
      // of its parameter's state; its step is not counted either.
      try {
        update_param(group.options, it->second, node);
      } catch (...) {
        --it->second.step;
        if (created) state_.erase(it);
        throw;
      }
    }
  }
}

namespace detail {

// Multiplies row `row` of every state buffer by its idle decay to the power
// `skipped`: what `skipped` steps with a zero gradient would have done.
template <class Scalar, std::size_t N>
void decay_row(ParamState<Scalar>& state, const std::array<double, N>& decay, std::size_t row, std::int64_t skipped,
               std::size_t row_size) {
  if (skipped <= 0) return;
  for (std::size_t k = 0; k < N; ++k) {
    if (decay[k] == 1 || !state.buffers[k]) continue;
    // One rounding, where the dense run rounds once per skipped step. An
    // overflowed (infinite) state stays infinite under a positive decay, step
    // after step, even where decay^k underflows to 0, and a decay of 0 drops
    // it, as decayed_average does: 0·Inf must not become NaN.
    const double factor = std::pow(decay[k], static_cast<double>(skipped));
    Scalar* s = state.buffers[k]->data() + row * row_size;
    for (std::size_t j = 0; j < row_size; ++j) {
      if (decay[k] == 0)
        s[j] = 0;
      else if (!std::isinf(s[j]))
        s[j] = static_cast<Scalar>(static_cast<double>(s[j]) * factor);
    }
  }
}

}  // namespace detail

template <class Scalar, class Options, class Derived>
void Optimizer<Scalar, Options, Derived>::update_param(const Options& options, ParamState<Scalar>& state,
                                                       Node<Scalar>& node) {
  constexpr bool decays = requires { Derived::idle_decay(options); };
  const std::size_t rows = node.value.dimension() ? node.value.shape()[0] : 1;
  const std::size_t row_size = rows ? node.value.size() / rows : 0;
  // Rows that were skipped owe (step - 1 - row_step) decays.
  auto catch_up = [&](std::size_t row) {
    if constexpr (decays) {
      detail::decay_row(state, Derived::idle_decay(options), row, state.step - 1 - state.row_step[row], row_size);
      state.row_step[row] = state.step;
    }
  };
  if (node.sparse_grad && !node.has_grad) {
    bool exact = false, lazy = false;
    if constexpr (requires { Derived::sparse_exact(options); }) exact = Derived::sparse_exact(options);
    if constexpr (requires { options.lazy; }) lazy = options.lazy;
    if (exact || lazy) {
      const RowSparse<Scalar>& g = *node.sparse_grad;
      if (exact && decays) {
        if (state.row_step.empty()) state.row_step.assign(rows, state.step - 1);
        for (std::size_t row : g.rows) catch_up(row);
      }
      Derived::update(options, state, node.value, Gradient<Scalar>::of(g));
      return;
    }
  }
  node.densify_grad();
  if (!state.row_step.empty()) {
    for (std::size_t row = 0; row < rows; ++row) catch_up(row);
    state.row_step.clear();
  }
  Derived::update(options, state, node.value, Gradient<Scalar>::of(node.grad));
}

}  // namespace xg::optim
