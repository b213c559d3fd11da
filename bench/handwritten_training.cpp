// The "no framework" floor: the forward, backward and update of each workload
// written out over cblas and raw loops, with every buffer allocated before
// the first step. Weights keep PyTorch's (out, in) layout, except in the CSR
// variant, whose (words, 2) layout makes a word's weights one contiguous row.

#include <cblas.h>

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <vector>

#include <xsimd/xsimd.hpp>

#include "implementations.hpp"

namespace bench {

namespace {

constexpr float adagrad_eps = 1e-10f;
constexpr float adam_beta1 = 0.9f, adam_beta2 = 0.999f, adam_eps = 1e-8f;

// tanh in place, vectorized as xgrad's is (glibc's tanhf is several times slower).
void tanh_in_place(float* z, std::size_t n) {
  using Batch = xsimd::batch<float, xsimd::avx2>;
  std::size_t i = 0;
  for (; i + Batch::size <= n; i += Batch::size) xsimd::tanh(Batch::load_unaligned(z + i)).store_unaligned(z + i);
  if (i < n) {
    alignas(64) float tail[Batch::size] = {};
    std::copy(z + i, z + n, tail);
    xsimd::tanh(Batch::load_aligned(tail)).store_aligned(tail);
    std::copy(tail, tail + (n - i), z + i);
  }
}

// Mean cross-entropy of `logits` (rows x classes); leaves (softmax - onehot) / rows
// in `delta`.
float cross_entropy(const float* logits, const std::vector<std::size_t>& labels, std::size_t rows, std::size_t classes,
                    float* delta) {
  float total = 0.0f;
  const float inv_rows = 1.0f / static_cast<float>(rows);
  for (std::size_t r = 0; r < rows; ++r) {
    const float* z = logits + r * classes;
    float* d = delta + r * classes;
    const float top = *std::max_element(z, z + classes);
    float sum = 0.0f;
    for (std::size_t c = 0; c < classes; ++c) sum += d[c] = std::exp(z[c] - top);
    total += top + std::log(sum) - z[labels[r]];
    const float scale = inv_rows / sum;
    for (std::size_t c = 0; c < classes; ++c) d[c] *= scale;
    d[labels[r]] -= inv_rows;
  }
  return total * inv_rows;
}

// One parameter array with its gradient and optimizer state.
struct Parameter {
  std::vector<float> value, grad, first, second;

  explicit Parameter(const std::vector<float>& initial)
      : value(initial), grad(initial.size()), first(initial.size()), second(initial.size()) {}

  void adagrad(float lr) { adagrad_range(lr, 0, value.size()); }

  void adagrad_range(float lr, std::size_t begin, std::size_t end) {
    float* __restrict p = value.data();
    const float* __restrict g = grad.data();
    float* __restrict s = first.data();
    for (std::size_t i = begin; i < end; ++i) {
      s[i] += g[i] * g[i];
      p[i] -= lr * g[i] / (std::sqrt(s[i]) + adagrad_eps);
    }
  }

  void adam(float lr, std::size_t step) {
    const double t = static_cast<double>(step);
    const float step_size = static_cast<float>(lr / (1.0 - std::pow(double{adam_beta1}, t)));
    const float inv_sqrt_bc2 = static_cast<float>(1.0 / std::sqrt(1.0 - std::pow(double{adam_beta2}, t)));
    float* __restrict p = value.data();
    const float* __restrict g = grad.data();
    float* __restrict m = first.data();
    float* __restrict v = second.data();
    for (std::size_t i = 0, n = value.size(); i < n; ++i) {
      m[i] = adam_beta1 * m[i] + (1.0f - adam_beta1) * g[i];
      v[i] = adam_beta2 * v[i] + (1.0f - adam_beta2) * g[i] * g[i];
      p[i] -= step_size * m[i] / (std::sqrt(v[i]) * inv_sqrt_bc2 + adam_eps);
    }
  }
};

struct Layer {
  std::size_t in, out;
  Parameter weight, bias;
  std::vector<float> output, delta;  // rows x out: activation, and d loss / d pre-activation
};

class Mlp {
 public:
  Mlp(const Workload& w) : w_(w) {
    std::size_t rows = 0;
    for (const Batch& b : w.batches) rows = std::max(rows, b.rows);
    for (const LinearInit& init : w.layers)
      layers_.push_back(Layer{init.in, init.out, Parameter(init.weight), Parameter(init.bias),
                              std::vector<float>(rows * init.out), std::vector<float>(rows * init.out)});
  }

  float step(std::size_t s) {
    const Batch& batch = w_.batch(s);
    const std::size_t rows = batch.rows, last = layers_.size() - 1;
    const float* input = batch.features.data();
    for (std::size_t l = 0; l <= last; ++l) {
      Layer& layer = layers_[l];
      float* z = layer.output.data();
      for (std::size_t r = 0; r < rows; ++r)
        std::copy(layer.bias.value.begin(), layer.bias.value.end(), z + r * layer.out);
      cblas_sgemm(CblasRowMajor, CblasNoTrans, CblasTrans, rows, layer.out, layer.in, 1.0f, input, layer.in,
                  layer.weight.value.data(), layer.in, 1.0f, z, layer.out);
      if (l < last) tanh_in_place(z, rows * layer.out);
      input = z;
    }
    Layer& top = layers_[last];
    const float loss = cross_entropy(top.output.data(), batch.labels, rows, top.out, top.delta.data());
    for (std::size_t l = last + 1; l-- > 0;) {
      Layer& layer = layers_[l];
      const float* below = l > 0 ? layers_[l - 1].output.data() : batch.features.data();
      const float* d = layer.delta.data();
      cblas_sgemm(CblasRowMajor, CblasTrans, CblasNoTrans, layer.out, layer.in, rows, 1.0f, d, layer.out, below,
                  layer.in, 0.0f, layer.weight.grad.data(), layer.in);
      float* gb = layer.bias.grad.data();
      std::fill(gb, gb + layer.out, 0.0f);
      for (std::size_t r = 0; r < rows; ++r)
        for (std::size_t j = 0; j < layer.out; ++j) gb[j] += d[r * layer.out + j];
      if (l > 0) {
        Layer& prev = layers_[l - 1];
        float* dp = prev.delta.data();
        cblas_sgemm(CblasRowMajor, CblasNoTrans, CblasNoTrans, rows, layer.in, layer.out, 1.0f, d, layer.out,
                    layer.weight.value.data(), layer.in, 0.0f, dp, layer.in);
        const float* y = prev.output.data();
        for (std::size_t i = 0, n = rows * layer.in; i < n; ++i) dp[i] *= 1.0f - y[i] * y[i];
      }
    }
    const float lr = static_cast<float>(w_.lr);
    for (Layer& layer : layers_) {
      if (w_.optimizer == OptimizerKind::Adam) {
        layer.weight.adam(lr, s + 1);
        layer.bias.adam(lr, s + 1);
      } else {
        layer.weight.adagrad(lr);
        layer.bias.adagrad(lr);
      }
    }
    return loss;
  }

 private:
  const Workload& w_;
  std::vector<Layer> layers_;
};

// Linear(V, 2) on CSR rows, the weight stored transposed as (V, classes).
class SparseLinear {
 public:
  explicit SparseLinear(const Workload& w)
      : w_(w),
        words_(w.inputs()),
        classes_(w.classes()),
        weight_(transposed(w.layers.front())),
        bias_(w.layers.front().bias),
        stamp_(words_, 0) {
    std::size_t rows = 0;
    for (const Batch& b : w.batches) rows = std::max(rows, b.rows);
    logits_.resize(rows * classes_);
    delta_.resize(rows * classes_);
    touched_.reserve(words_);
  }

  float step(std::size_t s) { return classes_ == 2 ? step_with<2>(s) : step_with<0>(s); }

 private:
  // One pass over each row's nonzeros for the forward, one for the backward,
  // which also finds the batch's words with a stamp per word (no sort, nothing
  // of size V per step); `Classes` fixes the width when it is known (0: not).
  template <std::size_t Classes>
  float step_with(std::size_t s) {
    const Batch& batch = w_.batch(s);
    const auto& x = batch.sparse;
    const std::size_t rows = batch.rows, c = Classes ? Classes : classes_;
    const std::size_t* __restrict row_ptr = x.row_ptr.data();
    const std::size_t* __restrict col = x.col.data();
    const float* __restrict val = x.val.data();
    const float* __restrict wt = weight_.value.data();
    const float* __restrict b = bias_.value.data();
    for (std::size_t r = 0; r < rows; ++r) {
      float* __restrict z = logits_.data() + r * c;
      for (std::size_t j = 0; j < c; ++j) z[j] = b[j];
      for (std::size_t k = row_ptr[r]; k < row_ptr[r + 1]; ++k) {
        const float v = val[k];
        const float* __restrict w_row = wt + col[k] * c;
        for (std::size_t j = 0; j < c; ++j) z[j] += v * w_row[j];
      }
    }
    const float loss = cross_entropy(logits_.data(), batch.labels, rows, c, delta_.data());
    // The gradient rows of this batch's words, each zeroed when first seen.
    touched_.clear();
    const std::uint32_t mark = static_cast<std::uint32_t>(s + 1);
    float* __restrict gw = weight_.grad.data();
    float* __restrict gb = bias_.grad.data();
    std::uint32_t* __restrict stamp = stamp_.data();
    for (std::size_t j = 0; j < c; ++j) gb[j] = 0.0f;
    for (std::size_t r = 0; r < rows; ++r) {
      const float* __restrict d = delta_.data() + r * c;
      for (std::size_t j = 0; j < c; ++j) gb[j] += d[j];
      for (std::size_t k = row_ptr[r]; k < row_ptr[r + 1]; ++k) {
        const std::size_t word = col[k];
        const float v = val[k];
        float* __restrict g_row = gw + word * c;
        if (stamp[word] != mark) {
          stamp[word] = mark;
          touched_.push_back(word);
          for (std::size_t j = 0; j < c; ++j) g_row[j] = v * d[j];
        } else {
          for (std::size_t j = 0; j < c; ++j) g_row[j] += v * d[j];
        }
      }
    }
    const float lr = static_cast<float>(w_.lr);
    for (std::size_t word : touched_) weight_.adagrad_range(lr, word * c, word * c + c);
    bias_.adagrad(lr);
    return loss;
  }

  static std::vector<float> transposed(const LinearInit& init) {
    std::vector<float> t(init.in * init.out);
    for (std::size_t o = 0; o < init.out; ++o)
      for (std::size_t i = 0; i < init.in; ++i) t[i * init.out + o] = init.weight[o * init.in + i];
    return t;
  }

  const Workload& w_;
  std::size_t words_, classes_;
  Parameter weight_, bias_;
  std::vector<std::uint32_t> stamp_;
  std::vector<std::size_t> touched_;
  std::vector<float> logits_, delta_;
};

}  // namespace

TrainingResult train_handwritten(const Workload& w) {
  Mlp mlp(w);
  return run_training(w, [&](std::size_t s) { return mlp.step(s); });
}

TrainingResult train_handwritten_csr(const Workload& w) {
  SparseLinear model(w);
  return run_training(w, [&](std::size_t s) { return model.step(s); });
}

}  // namespace bench
