#pragma once
// Member definitions of Optimizer, included by each optimizer's .cpp to
// instantiate them for float and double (user code includes only the
// declarations, so it does not compile them again):
//   optimizer_groups_impl.hpp          parameter groups, options, state access
//   optimizer_step_impl.hpp            the step and its sparse paths
//   optimizer_state_dict_impl.hpp      state_dict and load_state_dict
//   optimizer_loaded_checks_impl.hpp   the checks of loaded buffers and names

#include <xgrad/optim/detail/optimizer_groups_impl.hpp>
#include <xgrad/optim/detail/optimizer_loaded_checks_impl.hpp>
#include <xgrad/optim/detail/optimizer_state_dict_impl.hpp>
#include <xgrad/optim/detail/optimizer_step_impl.hpp>

// The explicit instantiations matching XGRAD_DECLARE_OPTIMIZER, in the
// optimizer's .cpp after the policy's member definitions.
#define XGRAD_INSTANTIATE_OPTIMIZER(Name, NameOptions)         \
  template class Optimizer<float, NameOptions, Name<float>>;   \
  template class Optimizer<double, NameOptions, Name<double>>; \
  template class Name<float>;                                  \
  template class Name<double>
