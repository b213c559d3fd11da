#pragma once
// The objects the checkpoint fuzz target loads its inputs into, and that its
// seed corpus is saved from (write_checkpoint_seeds.cpp): a small MLP, Adam
// with amsgrad (three state arrays per parameter) and a StepLR.

#include <xgrad/nn/activation.hpp>
#include <xgrad/nn/linear.hpp>
#include <xgrad/nn/sequential.hpp>
#include <xgrad/optim/adam.hpp>
#include <xgrad/optim/schedulers/closed_form_lr.hpp>

namespace xg::fuzz {

struct CheckpointObjects {
  nn::Sequential model{nn::Linear(3, 4), nn::Tanh(), nn::Linear(4, 2)};
  optim::Adam<float> optimizer{model.named_parameters(), {.lr = 0.05, .amsgrad = true}};
  optim::StepLR scheduler{optimizer, {.step_size = 3, .gamma = 0.5}};
};

}  // namespace xg::fuzz
