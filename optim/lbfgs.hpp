#pragma once
// L-BFGS: a quasi-Newton method that keeps the last history_size steps and
// gradient changes to apply an approximate inverse Hessian, optionally with
// a strong-Wolfe line search: torch.optim.LBFGS. Each step re-evaluates the
// loss several times, so it takes step(closure); meant for full-batch,
// deterministic problems. One parameter group, as in PyTorch.

#include <cstdint>
#include <functional>
#include <initializer_list>
#include <optional>
#include <string>
#include <vector>

#include <xgrad/core/tensor.hpp>
#include <xgrad/optim/optimizer_base.hpp>

namespace xg::optim {

enum class LBFGSLineSearch : std::uint8_t { none, strong_wolfe };

struct LBFGSOptions {
  double lr = 1;
  // Iterations per step.
  std::int64_t max_iter = 20;
  // Loss evaluations per step; unset: max_iter·5/4 (rounded down).
  std::optional<std::int64_t> max_eval{};
  // A step ends when every gradient component is at most this in magnitude...
  double tolerance_grad = 1e-7;
  // ...or when the loss or the parameters change by less than this.
  double tolerance_change = 1e-9;
  std::int64_t history_size = 100;
  LBFGSLineSearch line_search_fn = LBFGSLineSearch::none;
};

template <class Scalar>
class LBFGS final : public OptimizerBase {
 public:
  using scalar_type = Scalar;
  using options_type = LBFGSOptions;

  explicit LBFGS(std::vector<BasicTensor<Scalar>> params, LBFGSOptions options = {});
  explicit LBFGS(NamedTensors<Scalar> params, LBFGSOptions options = {});

  // Runs up to max_iter iterations, calling `closure` (zero_grad, forward,
  // backward, return the loss) for every loss and gradient it needs; returns
  // the loss before the step, as PyTorch does.
  double step(const std::function<double()>& closure) override;
  // L-BFGS needs the closure: this throws, saying so.
  void step() override;
  void zero_grad(bool set_to_none = true) override;

  // The options, to change between steps (checked at the next step).
  LBFGSOptions& options(std::size_t group = 0);
  const LBFGSOptions& options(std::size_t group = 0) const;
  std::size_t num_param_groups() const override { return 1; }
  double lr(std::size_t group = 0) const override;
  void set_lr(double lr) override;
  void set_lr(double lr, std::size_t group) override;
  std::optional<double> momentum(std::size_t = 0) const override { return std::nullopt; }
  void set_momentum(double momentum, std::size_t group) override;

  // Loss evaluations and iterations over all steps so far (PyTorch's
  // state["func_evals"] and state["n_iter"]).
  std::int64_t func_evals() const { return history_.func_evals; }
  std::int64_t n_iter() const { return history_.n_iter; }

  io::Archive state_dict() const override;
  void load_state_dict(const io::Archive& state) override;

 private:
  using Flat = std::vector<Scalar>;

  // What carries over from one step to the next.
  struct History {
    std::int64_t func_evals = 0;
    std::int64_t n_iter = 0;
    Flat d;                      // the last search direction
    double t = 0;                // the last step length along d
    std::vector<Flat> old_dirs;  // gradient changes y, oldest first
    std::vector<Flat> old_stps;  // steps s
    std::vector<double> ro;      // 1 / yᵀs
    double H_diag = 1;           // the initial inverse Hessian's scale
    Flat prev_flat_grad;
    double prev_loss = 0;
  };

  static void check_options(const LBFGSOptions& o);
  // The options in PyTorch's order, for state_dict and load_state_dict.
  template <class Options, class Visit>
  static void for_each_option(Options& o, Visit&& visit) {
    visit("lr", o.lr);
    visit("max_iter", o.max_iter);
    visit("tolerance_grad", o.tolerance_grad);
    visit("tolerance_change", o.tolerance_change);
    visit("history_size", o.history_size);
    visit("line_search_fn", o.line_search_fn);
  }
  std::size_t checked_group(const char* function, std::size_t group) const;
  void check_parameters();
  Flat gather_flat_grad() const;
  void add_grad(double step_size, const Flat& direction);
  Flat clone_param() const;
  void set_param(const Flat& values);

  std::vector<BasicTensor<Scalar>> params_;
  std::vector<std::string> names_;
  LBFGSOptions options_;
  std::size_t numel_ = 0;
  History history_;
};

template <class S>
LBFGS(std::vector<BasicTensor<S>>, LBFGSOptions = {}) -> LBFGS<S>;
template <class S>
LBFGS(std::initializer_list<BasicTensor<S>>, LBFGSOptions = {}) -> LBFGS<S>;
template <class S>
LBFGS(NamedTensors<S>, LBFGSOptions = {}) -> LBFGS<S>;

extern template class LBFGS<float>;
extern template class LBFGS<double>;

}  // namespace xg::optim
