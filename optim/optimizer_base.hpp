#pragma once
// What learning-rate schedules and checkpoints see of any optimizer,
// whatever its scalar type and options.

#include <cstddef>
#include <functional>
#include <optional>
#include <string>

#include <xgrad/autograd/grad_mode.hpp>
#include <xgrad/core/archive.hpp>

namespace xg::optim {

class OptimizerBase {
 public:
  virtual ~OptimizerBase() = default;

  virtual void step() = 0;
  // torch.optim's step(closure): `closure` recomputes the loss and its
  // gradients (zero_grad, forward, backward) and returns the loss. It runs
  // with grad mode on even inside a no_grad scope, as in PyTorch, before the
  // step; its loss is returned. LBFGS evaluates it several times per step.
  virtual double step(const std::function<double()>& closure) {
    double loss;
    {
      enable_grad recording;
      loss = closure();
    }
    step();
    return loss;
  }
  // As torch.optim since 2.0: gradients are dropped, not zeroed, so the next
  // backward writes them fresh (a BLAS product with beta = 0, which
  // OpenBLAS's small-matrix kernels take; their buffers come back from the
  // buffer cache) and a parameter no backward reached is skipped by step().
  virtual void zero_grad(bool set_to_none = true) = 0;

  virtual std::size_t num_param_groups() const = 0;
  virtual double lr(std::size_t group = 0) const = 0;
  virtual void set_lr(double lr) = 0;  // every group
  virtual void set_lr(double lr, std::size_t group) = 0;
  // The momentum a cyclic schedule may vary: SGD's and RMSprop's `momentum`,
  // beta1 of the Adam family; empty for optimizers without one.
  virtual std::optional<double> momentum(std::size_t group = 0) const = 0;
  virtual void set_momentum(double momentum, std::size_t group) = 0;

  // Options of every group and per-parameter state, keyed by parameter name
  // when the optimizer was built from named parameters.
  virtual io::Archive state_dict() const = 0;
  // Checks everything before changing anything: on a mismatch it throws and
  // the optimizer is as it was.
  virtual void load_state_dict(const io::Archive& state) = 0;

  void save(const std::string& path) const { state_dict().save(path, "optimizer"); }
  void load(const std::string& path) { load_state_dict(io::Archive::load(path, "optimizer")); }
};

}  // namespace xg::optim
