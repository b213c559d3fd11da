#pragma once
// What an optimizer remembers about one parameter between steps (PyTorch's
// optimizer.state[param]).

#include <cstdint>
#include <optional>
#include <vector>

#include <xgrad/core/array.hpp>

namespace xg::optim {

template <class Scalar>
struct ParamState {
  // Updates applied so far, counted before the update runs: 1 during the
  // first, as PyTorch counts (bias corrections use it).
  std::int64_t step = 0;
  // One slot per name in the optimizer's `state_names`. A buffer exists only
  // once the update first needs it: Adam's max_exp_avg_sq only with amsgrad,
  // SGD's momentum_buffer only with momentum, whose first value is the
  // gradient itself.
  std::vector<std::optional<Array<Scalar>>> buffers;
  // One per entry of the optimizer's `scalar_state` (NAdam's mu_product).
  std::vector<double> scalars;
  // For optimizers whose state decays on a zero gradient (RMSprop,
  // Adadelta) after an exact row-sparse step: the step up to which each row
  // of the state is decayed. Empty when every row is current.
  std::vector<std::int64_t> row_step;

  // Buffer `i`, created in the shape of `param` and filled with `initial` if
  // it does not exist yet.
  Array<Scalar>& buffer(std::size_t i, const Array<Scalar>& param, Scalar initial = 0) {
    std::optional<Array<Scalar>>& b = buffers[i];
    if (!b) {
      b = Array<Scalar>::from_shape(param.shape());
      b->fill(initial);
    }
    return *b;
  }

  // Buffer `i` of a shape other than the parameter's (the optimizer's
  // state_shape), created filled with `initial` if it does not exist yet.
  Array<Scalar>& buffer_of_shape(std::size_t i, const Shape& shape, Scalar initial = 0) {
    std::optional<Array<Scalar>>& b = buffers[i];
    if (!b) {
      b = Array<Scalar>::from_shape(shape);
      b->fill(initial);
    }
    return *b;
  }
};

}  // namespace xg::optim
