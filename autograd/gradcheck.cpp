#include <xgrad/autograd/gradcheck.hpp>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <limits>
#include <optional>
#include <stdexcept>

#include <xgrad/autograd/grad_mode.hpp>
#include <xgrad/core/error.hpp>

namespace xg::autograd {

namespace {

// Puts every input's gradient back as it was, however gradcheck ends.
class GradientsRestorer {
 public:
  explicit GradientsRestorer(const std::vector<Tensor64>& inputs) : inputs_(inputs) {
    for (const auto& t : inputs) saved_.push_back(t.has_grad() ? std::optional<Array<double>>(t.grad()) : std::nullopt);
  }
  ~GradientsRestorer() {
    for (std::size_t i = 0; i < inputs_.size(); ++i) {
      auto& node = *inputs_[i].node();
      node.sparse_grad.reset();
      node.has_grad = saved_[i].has_value();
      node.grad = saved_[i] ? std::move(*saved_[i]) : Array<double>();
    }
  }
  GradientsRestorer(const GradientsRestorer&) = delete;
  GradientsRestorer& operator=(const GradientsRestorer&) = delete;

 private:
  const std::vector<Tensor64>& inputs_;
  std::vector<std::optional<Array<double>>> saved_;
};

// Sets one input element for the duration of a scope, restoring it exactly.
class Perturbation {
 public:
  Perturbation(double& element, double value) : element_(element), original_(element) { element_ = value; }
  ~Perturbation() { element_ = original_; }
  Perturbation(const Perturbation&) = delete;
  Perturbation& operator=(const Perturbation&) = delete;

 private:
  double& element_;
  double original_;
};

std::string number(double v) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.10g", v);
  return buf;
}

template <class Sh>
std::string multi_index(std::size_t flat, const Sh& shape) {
  Shape index(shape.size());
  for (std::size_t d = shape.size(); d-- > 0;) {
    index[d] = flat % shape[d];
    flat /= shape[d];
  }
  std::string out = "(";
  for (std::size_t d = 0; d < index.size(); ++d) out += (d ? ", " : "") + std::to_string(index[d]);
  return out + ")";
}

// How far past its tolerance an element is: above 1 fails. Equal values
// (infinities included) pass; a NaN or an unequal infinity always fails.
double excess(double analytic, double numeric, const GradcheckOptions& o) {
  if (analytic == numeric) return 0;
  const double diff = std::abs(analytic - numeric);
  if (!std::isfinite(diff)) return std::numeric_limits<double>::infinity();
  return diff / (o.atol + o.rtol * std::abs(numeric));
}

void validate(const std::vector<Tensor64>& inputs, const GradcheckOptions& o) {
  if (!(o.eps > 0) || !std::isfinite(o.eps))
    throw std::invalid_argument("gradcheck: eps must be positive and finite, got " + number(o.eps));
  if (!(o.atol >= 0) || !(o.rtol >= 0) || !(o.atol + o.rtol > 0))
    throw std::invalid_argument("gradcheck: atol and rtol must be non-negative and not both zero, got atol=" +
                                number(o.atol) + " rtol=" + number(o.rtol));
  for (std::size_t i = 0; i < inputs.size(); ++i) {
    if (!inputs[i].defined())
      throw std::invalid_argument("gradcheck: input " + std::to_string(i) + " is an undefined tensor");
    if (inputs[i].requires_grad() && !inputs[i].is_leaf())
      throw std::invalid_argument("gradcheck: input " + std::to_string(i) + " comes from op '" + inputs[i].op() +
                                  "'; inputs to check must be leaves (use detach().requires_grad_())");
  }
}

}  // namespace

GradcheckResult gradcheck(const std::function<Tensor64(const std::vector<Tensor64>&)>& fn,
                          const std::vector<Tensor64>& inputs, GradcheckOptions options) {
  validate(inputs, options);
  GradientsRestorer restore_gradients(inputs);

  Tensor64 out;
  {
    enable_grad recording;
    out = fn(inputs);
  }
  if (!out.defined()) throw std::invalid_argument("gradcheck: the function returned an undefined tensor");
  const Shape out_shape = to_shape(out.shape());
  const std::size_t m = out.numel();

  // analytic[i][j * n_i + k] = d out_j / d input_i[k]
  std::vector<std::vector<double>> analytic(inputs.size());
  for (std::size_t i = 0; i < inputs.size(); ++i)
    if (inputs[i].requires_grad()) analytic[i].assign(m * inputs[i].numel(), 0.0);
  if (out.requires_grad()) {
    auto seed = Array<double>::from_shape(out_shape);
    seed.fill(0.0);
    for (std::size_t j = 0; j < m; ++j) {
      for (const auto& t : inputs) t.zero_grad(/*set_to_none=*/true);
      seed.data()[j] = 1.0;
      out.backward(seed, /*retain_graph=*/true);
      seed.data()[j] = 0.0;
      for (std::size_t i = 0; i < inputs.size(); ++i) {
        if (!inputs[i].requires_grad() || !inputs[i].has_grad()) continue;
        const double* g = inputs[i].grad().data();
        std::copy_n(g, inputs[i].numel(), analytic[i].data() + j * inputs[i].numel());
      }
    }
  }
  out = Tensor64();

  GradcheckResult result;
  double worst = -1;
  std::size_t worst_output = 0;
  no_grad not_recording;
  auto evaluate = [&](const char* side) {
    Tensor64 y = fn(inputs);
    if (!y.defined() || !shapes_equal(y.shape(), out_shape))
      throw std::invalid_argument(
          std::string("gradcheck: the function's output changed shape from ") + shape_to_string(out_shape) + " to " +
          (y.defined() ? shape_to_string(y.shape()) : std::string("undefined")) + " at x " + side + " eps");
    return Array<double>(y.value());
  };
  for (std::size_t i = 0; i < inputs.size(); ++i) {
    if (!inputs[i].requires_grad()) continue;
    const std::size_t n = inputs[i].numel();
    double* x = inputs[i].value().data();
    for (std::size_t k = 0; k < n; ++k) {
      Array<double> plus, minus;
      {
        Perturbation p(x[k], x[k] + options.eps);
        plus = evaluate("+");
      }
      {
        Perturbation p(x[k], x[k] - options.eps);
        minus = evaluate("-");
      }
      for (std::size_t j = 0; j < m; ++j) {
        const double numeric = (plus.data()[j] - minus.data()[j]) / (2 * options.eps);
        const double a = analytic[i][j * n + k];
        const double e = excess(a, numeric, options);
        if (e > worst) {
          worst = e;
          worst_output = j;
          result.input = i;
          result.index = k;
          result.analytic = a;
          result.numeric = numeric;
        }
      }
    }
  }

  if (worst > 1) {
    result.passed = false;
    result.message =
        "gradcheck: wrong gradient for input " + std::to_string(result.input) + " at index " +
        std::to_string(result.index) + " " + multi_index(result.index, inputs[result.input].shape()) + " of shape " +
        shape_to_string(inputs[result.input].shape()) + ", output element " + std::to_string(worst_output) +
        ": analytic " + number(result.analytic) + " vs numeric " + number(result.numeric) +
        " (tolerance atol + rtol*|numeric| = " + number(options.atol + options.rtol * std::abs(result.numeric)) + ")";
  }
  return result;
}

}  // namespace xg::autograd
