#pragma once
// Makes every process start identical: the parameters, the optimizer's state
// and a generator's state copied from one rank (the root) to all others, as
// DistributedDataParallel broadcasts rank 0's module when it is built.
//
//   xg::distributed::broadcast_parameters(model);
//   xg::distributed::broadcast_optimizer_state(*optimizer);
//   xg::distributed::broadcast_generator(xg::default_generator());
//
// Each is a collective: every rank calls it, in the same order.

#include <xgrad/core/generator.hpp>
#include <xgrad/core/tensor.hpp>
#include <xgrad/nn/module.hpp>
#include <xgrad/optim/optimizer_base.hpp>

namespace xg::distributed {

// Copies the root's parameter values into every rank's. The names and shapes
// are compared first, on every rank against the root's: when any rank's
// differ, every rank throws the same exception naming the first rank that
// differs, the parameter and both shapes (xg::ShapeError; std::invalid_argument
// for a missing or differently named parameter), and no value is changed.
template <class Scalar>
void broadcast_parameters(const NamedTensors<Scalar>& parameters, int root = 0);
void broadcast_parameters(const nn::Module& model, int root = 0);

// The root's optimizer state (state_dict) loaded into every rank's optimizer.
void broadcast_optimizer_state(optim::OptimizerBase& optimizer, int root = 0);

// The root's generator state given to every rank's `generator`, so that
// shuffles and dropout masks drawn from it agree.
void broadcast_generator(Generator& generator, int root = 0);

extern template void broadcast_parameters(const NamedTensors<float>&, int);
extern template void broadcast_parameters(const NamedTensors<double>&, int);

}  // namespace xg::distributed
