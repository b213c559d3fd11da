// Property-style gradient checks: random shapes (rank 0-3, dimensions 1-4)
// pushed through random chains of 2-5 ops, each chain gradchecked. Every op
// states the values it accepts (away from poles and kinks by a margin much
// larger than gradcheck's step); a step whose op does not accept the current
// value draws another op. A fixed seed makes every run check the same chains.

#include <doctest/doctest.h>

#include <algorithm>
#include <cmath>
#include <functional>
#include <string>
#include <vector>

#include <xgrad/xgrad.hpp>

namespace {

using xg::Shape;
using xg::Tensor64;
using Inputs = std::vector<Tensor64>;

constexpr double margin = 1e-3;

// One drawn op: its parameters are fixed when drawn; `apply` reads the extra
// operands it created from `inputs` by position.
struct Step {
  std::string name;
  std::function<Tensor64(const Tensor64&, const Inputs&)> apply;
};

struct Chain {
  Inputs inputs;  // inputs[0] is the chain's start; ops append their operands
  std::vector<Step> steps;
  std::string description;

  Tensor64 operator()(const Inputs& in) const {
    Tensor64 x = in[0];
    for (const auto& s : steps) x = s.apply(x, in);
    return x;
  }
};

double min_abs(const Tensor64& t) {
  double m = INFINITY;
  for (double v : t.value()) m = std::min(m, std::abs(v));
  return m;
}

double max_abs(const Tensor64& t) {
  double m = 0;
  for (double v : t.value()) m = std::max(m, std::abs(v));
  return m;
}

double min_value(const Tensor64& t) {
  double m = INFINITY;
  for (double v : t.value()) m = std::min(m, v);
  return m;
}

// No two elements closer than `margin`: max has no (near-)ties to split.
bool distinct(const Tensor64& t) {
  std::vector<double> v(t.value().begin(), t.value().end());
  std::sort(v.begin(), v.end());
  for (std::size_t i = 1; i < v.size(); ++i)
    if (v[i] - v[i - 1] < margin) return false;
  return true;
}

bool near_any(const Tensor64& t, std::initializer_list<double> points) {
  for (double v : t.value())
    for (double p : points)
      if (std::abs(v - p) < margin) return true;
  return false;
}

class ChainBuilder {
 public:
  explicit ChainBuilder(xg::Generator& gen) : gen_(gen) {}

  Chain build() {
    Chain chain;
    chain.inputs.push_back(leaf(random_shape(0, 3)));
    chain.description = "x" + xg::shape_to_string(chain.inputs[0].shape());
    Tensor64 x = chain.inputs[0];
    const std::size_t length = 2 + gen_.randint(4);
    while (chain.steps.size() < length) {
      Step step;
      if (!draw(x, chain.inputs, step)) continue;
      x = step.apply(x, chain.inputs);
      chain.description += " -> " + step.name + xg::shape_to_string(x.shape());
      chain.steps.push_back(std::move(step));
    }
    return chain;
  }

 private:
  xg::Generator& gen_;

  Shape random_shape(std::size_t min_rank, std::size_t max_rank) {
    Shape s(min_rank + gen_.randint(max_rank - min_rank + 1));
    for (auto& d : s) d = 1 + gen_.randint(4);
    return s;
  }

  Tensor64 leaf(const Shape& s, double low = -2.0, double high = 2.0) {
    return xg::uniform<double>(s, low, high, true, gen_);
  }

  // A shape that broadcasts with `s`: some dimensions set to 1, some leading ones dropped.
  template <class S>
  Shape broadcastable(const S& s) {
    Shape out(s.begin(), s.end());
    for (auto& d : out)
      if (gen_.uniform() < 0.4) d = 1;
    const std::size_t dropped = gen_.randint(out.size() + 1);
    out.erase(out.begin(), out.begin() + static_cast<long>(dropped));
    return out;
  }

  long random_axis(std::size_t rank) {
    const long a = static_cast<long>(gen_.randint(rank));
    return gen_.uniform() < 0.5 ? a : a - static_cast<long>(rank);
  }

  std::vector<long> random_axes(std::size_t rank) {
    std::vector<long> axes;
    for (std::size_t a = 0; a < rank; ++a)
      if (gen_.uniform() < 0.5) axes.push_back(static_cast<long>(a));
    if (axes.empty()) axes.push_back(static_cast<long>(gen_.randint(rank)));
    return axes;
  }

  static std::string axes_name(const std::vector<long>& axes, bool keepdims) {
    std::string s = "{";
    for (std::size_t i = 0; i < axes.size(); ++i) s += (i ? "," : "") + std::to_string(axes[i]);
    return s + (keepdims ? "},keep" : "}");
  }

  // Adds an operand leaf to the chain's inputs and returns its position.
  std::size_t operand(Inputs& inputs, const Shape& s, double low = -2.0, double high = 2.0) {
    inputs.push_back(leaf(s, low, high));
    return inputs.size() - 1;
  }

  // Fills `step` with a random op valid at `x`, or returns false.
  bool draw(const Tensor64& x, Inputs& inputs, Step& step) {
    const std::size_t rank = x.dim();
    const auto shape = x.shape();
    switch (gen_.randint(32)) {
      case 0: step = {"tanh", [](const Tensor64& t, const Inputs&) { return xg::tanh(t); }}; return true;
      case 1: step = {"sigmoid", [](const Tensor64& t, const Inputs&) { return xg::sigmoid(t); }}; return true;
      case 2:
        if (min_abs(x) < margin) return false;
        step = {"relu", [](const Tensor64& t, const Inputs&) { return xg::relu(t); }};
        return true;
      case 3:
        if (min_abs(x) < margin) return false;
        step = {"abs", [](const Tensor64& t, const Inputs&) { return xg::abs(t); }};
        return true;
      case 4:
        if (max_abs(x) > 4) return false;
        step = {"exp", [](const Tensor64& t, const Inputs&) { return xg::exp(t); }};
        return true;
      case 5:
        if (min_value(x) < 0.1) return false;
        step = {"log", [](const Tensor64& t, const Inputs&) { return xg::log(t); }};
        return true;
      case 6:
        if (min_abs(x) < margin) return false;
        step = {"log(|x|+1)", [](const Tensor64& t, const Inputs&) { return xg::log(xg::abs(t) + 1.0); }};
        return true;
      case 7:
        if (min_value(x) < 0.1) return false;
        step = {"sqrt", [](const Tensor64& t, const Inputs&) { return xg::sqrt(t); }};
        return true;
      case 8: {
        const double exponents[] = {2.0, 3.0, 0.5, 1.5, -1.0};
        const double p = exponents[gen_.randint(5)];
        if (p != std::floor(p) && min_value(x) < 0.1) return false;
        if (p < 0 && min_abs(x) < 0.2) return false;
        if (max_abs(x) > 10) return false;
        step = {"pow" + std::to_string(p), [p](const Tensor64& t, const Inputs&) { return xg::pow(t, p); }};
        return true;
      }
      case 9: {
        if (near_any(x, {-1.0, 1.0})) return false;
        step = {"clamp", [](const Tensor64& t, const Inputs&) { return xg::clamp(t, -1.0, 1.0); }};
        return true;
      }
      case 10: {
        const double c = gen_.uniform(-2, 2);
        switch (gen_.randint(4)) {
          case 0: step = {"+c", [c](const Tensor64& t, const Inputs&) { return t + c; }}; break;
          case 1: step = {"c-", [c](const Tensor64& t, const Inputs&) { return c - t; }}; break;
          case 2: step = {"*c", [c](const Tensor64& t, const Inputs&) { return c * t; }}; break;
          default:
            if (min_abs(x) < 0.2) return false;
            step = {"c/", [c](const Tensor64& t, const Inputs&) { return c / t; }};
        }
        return true;
      }
      case 11:
      case 12: {
        // A binary op with a fresh operand, broadcast either way round.
        const Shape other = broadcastable(shape);
        const bool operand_first = gen_.uniform() < 0.5;
        const std::size_t kind = gen_.randint(4);
        if (kind == 3 && operand_first && min_abs(x) < 0.2) return false;
        // A divisor drawn fresh stays in [0.5, 2).
        const std::size_t k = kind == 3 && !operand_first ? operand(inputs, other, 0.5, 2.0) : operand(inputs, other);
        const char* names[] = {"add", "sub", "mul", "div"};
        step = {std::string(names[kind]) + (operand_first ? "(y,x)" : "(x,y)") + xg::shape_to_string(other),
                [kind, k, operand_first](const Tensor64& t, const Inputs& in) {
                  const Tensor64& y = in[k];
                  switch (kind) {
                    case 0: return operand_first ? y + t : t + y;
                    case 1: return operand_first ? y - t : t - y;
                    case 2: return operand_first ? y * t : t * y;
                    default: return operand_first ? y / t : t / y;
                  }
                }};
        return true;
      }
      case 13: {
        const Shape other = broadcastable(shape);
        const std::size_t k = operand(inputs, other);
        const bool is_max = gen_.uniform() < 0.5;
        // Apart by the margin everywhere, so no element sits at a tie.
        const Tensor64 broadcast_diff = x - inputs[k];
        if (min_abs(broadcast_diff) < margin) {
          inputs.pop_back();
          return false;
        }
        step = {std::string(is_max ? "maximum" : "minimum") + xg::shape_to_string(other),
                [k, is_max](const Tensor64& t, const Inputs& in) {
                  return is_max ? xg::maximum(t, in[k]) : xg::minimum(t, in[k]);
                }};
        return true;
      }
      case 14:
      case 15: {
        if (rank == 0) return false;
        const auto axes = random_axes(rank);
        const bool keepdims = gen_.uniform() < 0.5;
        const std::size_t kind = gen_.randint(3);
        if (kind == 2 && !distinct(x)) return false;
        const char* names[] = {"sum", "mean", "max"};
        step = {names[kind] + axes_name(axes, keepdims), [kind, axes, keepdims](const Tensor64& t, const Inputs&) {
                  return kind == 0   ? xg::sum(t, axes, keepdims)
                         : kind == 1 ? xg::mean(t, axes, keepdims)
                                     : xg::max(t, axes, keepdims);
                }};
        return true;
      }
      case 16: {
        const std::size_t kind = gen_.randint(3);
        if (kind == 2 && !distinct(x)) return false;
        const char* names[] = {"sum", "mean", "max"};
        step = {std::string(names[kind]) + "()", [kind](const Tensor64& t, const Inputs&) {
                  return kind == 0 ? xg::sum(t) : kind == 1 ? xg::mean(t) : xg::max(t);
                }};
        return true;
      }
      case 17: {
        if (rank == 0) return false;
        const long axis = random_axis(rank);
        const bool log = gen_.uniform() < 0.5;
        step = {(log ? "log_softmax" : "softmax") + std::to_string(axis),
                [axis, log](const Tensor64& t, const Inputs&) {
                  return log ? xg::log_softmax(t, axis) : xg::softmax(t, axis);
                }};
        return true;
      }
      case 18: {
        if (rank == 0 || rank > 2) return false;
        const std::size_t k_dim = shape[rank - 1];
        const bool matrix = gen_.uniform() < 0.6;
        const Shape w_shape = matrix ? Shape{k_dim, 1 + gen_.randint(4)} : Shape{k_dim};
        const std::size_t k = operand(inputs, w_shape);
        step = {"matmul" + xg::shape_to_string(w_shape),
                [k](const Tensor64& t, const Inputs& in) { return xg::matmul(t, in[k]); }};
        return true;
      }
      case 19: {
        if (rank != 1 && rank != 2) return false;
        const Shape w_shape = rank == 2 ? Shape{1 + gen_.randint(4), shape[0]} : Shape{shape[0]};
        const std::size_t k = operand(inputs, w_shape);
        step = {"matmul_left" + xg::shape_to_string(w_shape),
                [k](const Tensor64& t, const Inputs& in) { return xg::matmul(in[k], t); }};
        return true;
      }
      case 20: {
        if (gen_.uniform() < 0.5) {
          step = {"transpose", [](const Tensor64& t, const Inputs&) { return xg::transpose(t); }};
        } else {
          const std::size_t n = x.numel();
          Shape target = n % 2 == 0 && gen_.uniform() < 0.5 ? Shape{2, n / 2} : Shape{n};
          if (n == 1 && gen_.uniform() < 0.5) target = {};
          step = {"reshape" + xg::shape_to_string(target),
                  [target](const Tensor64& t, const Inputs&) { return xg::reshape(t, target); }};
        }
        return true;
      }
      case 21: {
        if (rank == 0) return false;
        const long axis = random_axis(rank);
        Shape other(shape.begin(), shape.end());
        other[static_cast<std::size_t>(axis < 0 ? axis + static_cast<long>(rank) : axis)] = 1 + gen_.randint(3);
        const std::size_t k = operand(inputs, other);
        const bool operand_first = gen_.uniform() < 0.5;
        step = {"concat" + std::to_string(axis) + xg::shape_to_string(other),
                [k, axis, operand_first](const Tensor64& t, const Inputs& in) {
                  return operand_first ? xg::concat(std::vector<Tensor64>{in[k], t}, axis)
                                       : xg::concat(std::vector<Tensor64>{t, in[k]}, axis);
                }};
        return true;
      }
      case 22: {
        if (rank == 0) return false;
        std::vector<std::size_t> indices(1 + gen_.randint(5));
        for (auto& i : indices) i = gen_.randint(shape[0]);
        step = {"index_select", [indices](const Tensor64& t, const Inputs&) { return xg::index_select(t, indices); }};
        return true;
      }
      case 23: {
        if (rank == 0) return false;
        const long axis = random_axis(rank);
        const long size =
            static_cast<long>(shape[static_cast<std::size_t>(axis < 0 ? axis + static_cast<long>(rank) : axis)]);
        const long i =
            static_cast<long>(gen_.randint(static_cast<std::size_t>(size))) - (gen_.uniform() < 0.5 ? size : 0);
        switch (gen_.randint(3)) {
          case 0:
            step = {"select" + std::to_string(axis) + "," + std::to_string(i),
                    [axis, i](const Tensor64& t, const Inputs&) { return xg::select(t, axis, i); }};
            break;
          case 1: {
            const long stride = 1 + static_cast<long>(gen_.randint(3));
            step = {"slice" + std::to_string(axis) + "," + std::to_string(i) + "::" + std::to_string(stride),
                    [axis, i, stride](const Tensor64& t, const Inputs&) {
                      return xg::slice(t, axis, i, xg::None, stride);
                    }};
            break;
          }
          default: {
            const std::size_t first = static_cast<std::size_t>(i < 0 ? i + size : i);
            const std::size_t length = 1 + gen_.randint(static_cast<std::size_t>(size) - first);
            step = {"narrow" + std::to_string(axis) + "," + std::to_string(i) + "," + std::to_string(length),
                    [axis, i, length](const Tensor64& t, const Inputs&) { return xg::narrow(t, axis, i, length); }};
          }
        }
        return true;
      }
      case 24: {
        switch (gen_.randint(4)) {
          case 0: {
            std::vector<long> axes(rank);
            for (std::size_t a = 0; a < rank; ++a) axes[a] = static_cast<long>(a);
            for (std::size_t a = rank; a > 1; --a) std::swap(axes[a - 1], axes[gen_.randint(a)]);
            step = {"permute", [axes](const Tensor64& t, const Inputs&) { return xg::permute(t, axes); }};
            return true;
          }
          case 1: {
            if (rank == 0) return false;
            const long a = random_axis(rank), b = random_axis(rank);
            step = {"transpose" + std::to_string(a) + "," + std::to_string(b),
                    [a, b](const Tensor64& t, const Inputs&) { return xg::transpose(t, a, b); }};
            return true;
          }
          case 2: {
            if (rank >= 3) return false;
            const long axis = static_cast<long>(gen_.randint(rank + 1));
            step = {"unsqueeze" + std::to_string(axis),
                    [axis](const Tensor64& t, const Inputs&) { return xg::unsqueeze(t, axis); }};
            return true;
          }
          default:
            if (gen_.uniform() < 0.5) {
              step = {"squeeze", [](const Tensor64& t, const Inputs&) { return xg::squeeze(t); }};
            } else {
              step = {"flatten", [](const Tensor64& t, const Inputs&) { return xg::flatten(t); }};
            }
            return true;
        }
      }
      case 25: {
        if (gen_.uniform() < 0.5) {
          // Repeats the size-1 axes and adds a leading one.
          std::vector<long> target = {static_cast<long>(1 + gen_.randint(3))};
          for (auto d : shape) target.push_back(d == 1 ? static_cast<long>(1 + gen_.randint(3)) : -1);
          if (target.size() > 4) return false;
          step = {"expand", [target](const Tensor64& t, const Inputs&) { return xg::expand(t, target); }};
        } else {
          if (rank >= 3) return false;
          const std::size_t k = operand(inputs, Shape(shape.begin(), shape.end()));
          const long axis = static_cast<long>(gen_.randint(rank + 1));
          step = {"stack" + std::to_string(axis), [k, axis](const Tensor64& t, const Inputs& in) {
                    return xg::stack(std::vector<Tensor64>{t, in[k]}, axis);
                  }};
        }
        return true;
      }
      case 26: {
        // The activations of issue #15; elu and leaky_relu have a kink at 0.
        const std::size_t kind = gen_.randint(7);
        if ((kind == 4 || kind == 5) && min_abs(x) < margin) return false;
        if (kind == 6 && max_abs(x) > 4) return false;
        const char* names[] = {"softplus", "gelu", "gelu_tanh", "silu", "elu", "leaky_relu", "expm1"};
        step = {names[kind], [kind](const Tensor64& t, const Inputs&) {
                  switch (kind) {
                    case 0: return xg::softplus(t, 1.5, 2.0);
                    case 1: return xg::gelu(t);
                    case 2: return xg::gelu(t, "tanh");
                    case 3: return xg::silu(t);
                    case 4: return xg::elu(t, 0.8);
                    case 5: return xg::leaky_relu(t, 0.05);
                    default: return xg::expm1(t);
                  }
                }};
        return true;
      }
      case 27: {
        if (min_value(x) < -0.9) return false;
        step = {"log1p", [](const Tensor64& t, const Inputs&) { return xg::log1p(t); }};
        return true;
      }
      case 28: {
        // min, logsumexp, var, std over random axes (var and std with more
        // than one element per output and not near a zero spread).
        if (rank == 0) return false;
        const auto axes = random_axes(rank);
        const bool keepdims = gen_.uniform() < 0.5;
        const std::size_t kind = gen_.randint(4);
        if (kind == 0 && !distinct(x)) return false;
        std::size_t count = 1;
        for (long a : axes) count *= shape[static_cast<std::size_t>(a)];
        if (kind >= 2 && (count < 2 || min_value(xg::std(x.detach(), axes)) < 0.05)) return false;
        const char* names[] = {"min", "logsumexp", "var", "std"};
        step = {names[kind] + axes_name(axes, keepdims), [kind, axes, keepdims](const Tensor64& t, const Inputs&) {
                  switch (kind) {
                    case 0: return xg::min(t, axes, keepdims);
                    case 1: return xg::logsumexp(t, axes, keepdims);
                    case 2: return xg::var(t, axes, keepdims);
                    default: return xg::std(t, axes, keepdims);
                  }
                }};
        return true;
      }
      case 29: {
        // where with a fixed random mask and a fresh operand, either side.
        const Shape other = broadcastable(shape);
        const std::size_t k = operand(inputs, other);
        const Shape mask_shape = broadcastable(shape);
        auto mask = xg::BoolArray::from_shape(mask_shape);
        for (auto& m : mask) m = gen_.uniform() < 0.5;
        const bool x_first = gen_.uniform() < 0.5;
        step = {"where" + xg::shape_to_string(mask_shape) + xg::shape_to_string(other),
                [mask, k, x_first](const Tensor64& t, const Inputs& in) {
                  return x_first ? xg::where(mask, t, in[k]) : xg::where(mask, in[k], t);
                }};
        return true;
      }
      case 30: {
        // A batched product: (b, m, k) by (k, n) or (b, k, n), or a 2-D x by (b, k, n).
        if (rank != 2 && rank != 3) return false;
        Shape w_shape;
        if (rank == 3)
          w_shape = gen_.uniform() < 0.5 ? Shape{shape[2], 1 + gen_.randint(3)}
                                         : Shape{shape[0], shape[2], 1 + gen_.randint(3)};
        else
          w_shape = {1 + gen_.randint(3), shape[1], 1 + gen_.randint(3)};
        const std::size_t k = operand(inputs, w_shape);
        const bool use_bmm = rank == 3 && w_shape.size() == 3;
        step = {(use_bmm ? "bmm" : "matmul") + xg::shape_to_string(w_shape),
                [k, use_bmm](const Tensor64& t, const Inputs& in) {
                  return use_bmm ? xg::bmm(t, in[k]) : xg::matmul(t, in[k]);
                }};
        return true;
      }
      default: {
        if (rank != 2) return false;
        std::vector<std::size_t> indices(shape[0]);
        for (auto& i : indices) i = gen_.randint(shape[1]);
        step = {"gather", [indices](const Tensor64& t, const Inputs&) { return xg::gather(t, indices); }};
        return true;
      }
    }
  }
};

}  // namespace

TEST_CASE("gradcheck random: 240 random op chains on random shapes all pass") {
  xg::Generator gen(20240611);
  ChainBuilder builder(gen);
  std::size_t checked = 0, passed = 0;
  for (int c = 0; c < 240; ++c) {
    const Chain chain = builder.build();
    const auto result = xg::autograd::gradcheck(std::cref(chain), chain.inputs);
    ++checked;
    if (result.passed) ++passed;
    CHECK_MESSAGE(result.passed, "chain ", c, ": ", chain.description, "\n", result.message);
  }
  CHECK(checked >= 200);
  CHECK(passed == checked);
}
