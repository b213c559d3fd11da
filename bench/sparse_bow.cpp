// Bag-of-words models on sparse inputs against the same models on dense
// inputs: seconds per epoch and input memory (issue #5's goals: at 100,000
// words the sparse path >= 20x faster per epoch and >= 10x less input
// memory; at 5,000 words >= 3x faster).
//
// Data: 3,000 synthetic sentences of ~20 words drawn from a Zipf law
// (P(rank r) ∝ 1/r) over the vocabulary, seeded; batches of 32 in order.
// Models: logistic regression (logits = x·W + b) and V→64→2 (relu). The
// sparse path multiplies the CSR batch with sparse_matmul, so W gets a
// row-sparse gradient; the dense path builds the dense batch from the same
// rows (what a dense loader copies) and multiplies with matmul (BLAS).
// Optimizers: Adagrad and RMSprop (exact row updates), Adam with lazy = true
// against dense Adam, and Adam densifying its sparse gradient.
//
// The sparse epochs are timed whole; a dense epoch at 100,000 words takes
// long, so the dense path is timed over a few batches and extrapolated to an
// epoch (the table says how many). One warm-up batch first allocates the
// optimizer's state. Dense and sparse runs alternate, medians of a few
// runs each. OPENBLAS_NUM_THREADS as set in the environment.

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include <xgrad/optim/optim.hpp>
#include <xgrad/xgrad.hpp>

namespace {

using namespace xg;

constexpr std::size_t sentences = 3000, words_per_sentence = 20, batch_size = 32, hidden = 64;

CsrMatrix<float> zipf_sentences(std::size_t vocab, Generator& gen) {
  std::vector<double> cdf(vocab);
  double total = 0;
  for (std::size_t r = 0; r < vocab; ++r) cdf[r] = total += 1.0 / static_cast<double>(r + 1);
  CsrMatrix<float> x{.rows = sentences, .cols = vocab, .row_ptr = {0}, .col = {}, .val = {}};
  std::vector<std::size_t> words;
  for (std::size_t i = 0; i < sentences; ++i) {
    words.clear();
    for (std::size_t k = 0; k < words_per_sentence; ++k) {
      const double u = gen.uniform() * total;
      words.push_back(static_cast<std::size_t>(std::lower_bound(cdf.begin(), cdf.end(), u) - cdf.begin()));
    }
    std::sort(words.begin(), words.end());
    for (std::size_t k = 0; k < words.size();) {
      std::size_t end = k;
      while (end < words.size() && words[end] == words[k]) ++end;
      x.col.push_back(std::min(words[k], vocab - 1));
      x.val.push_back(static_cast<float>(end - k));
      k = end;
    }
    x.row_ptr.push_back(x.col.size());
  }
  return x;
}

struct Model {
  std::vector<Tensor> params;  // W (V, d), b, and for the MLP W2, b2
  Tensor forward(const Tensor& first_layer) const {
    Tensor h = first_layer + params[1];
    if (params.size() == 2) return h;
    return matmul(relu(h), params[2]) + params[3];
  }
};

Model make_model(std::size_t vocab, bool mlp) {
  Generator gen(1);
  const std::size_t d = mlp ? hidden : 2;
  Model m{{uniform({vocab, d}, -0.01, 0.01, true, gen), zeros({d}, true)}};
  if (mlp) {
    m.params.push_back(uniform({hidden, 2}, -0.1, 0.1, true, gen));
    m.params.push_back(zeros({2}, true));
  }
  return m;
}

using MakeOptimizer = std::function<std::unique_ptr<optim::OptimizerBase>(const std::vector<Tensor>&)>;

// Seconds per epoch, from `batches` timed batches.
double seconds_per_epoch(const CsrMatrix<float>& x, const std::vector<std::size_t>& labels, bool mlp, bool sparse,
                         const MakeOptimizer& make, std::size_t batches) {
  const Model model = make_model(x.cols, mlp);
  auto optimizer = make(model.params);
  const std::size_t per_epoch = (x.rows + batch_size - 1) / batch_size;
  auto run_batch = [&](std::size_t b) {
    const std::size_t first = (b % per_epoch) * batch_size, last = std::min(first + batch_size, x.rows);
    const CsrMatrix<float> batch = x.slice_rows(first, last);
    const Tensor first_layer =
        sparse ? sparse_matmul(batch, model.params[0]) : matmul(Tensor(batch.to_dense()), model.params[0]);
    const std::vector<std::size_t> y(labels.begin() + static_cast<std::ptrdiff_t>(first),
                                     labels.begin() + static_cast<std::ptrdiff_t>(last));
    auto loss = nn::functional::cross_entropy(model.forward(first_layer), y);
    optimizer->zero_grad(true);
    loss.backward();
    optimizer->step();
  };
  run_batch(0);
  const auto start = std::chrono::steady_clock::now();
  for (std::size_t b = 1; b <= batches; ++b) run_batch(b);
  const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  return seconds / static_cast<double>(batches) * static_cast<double>(per_epoch);
}

double median(std::vector<double> v) {
  std::sort(v.begin(), v.end());
  return v[v.size() / 2];
}

struct Timing {
  double dense, sparse;  // median seconds per epoch
};

// Dense and sparse runs alternated, so that both see the same load on a
// shared machine; medians of `repeats` each.
Timing time_both(const CsrMatrix<float>& x, const std::vector<std::size_t>& labels, bool mlp,
                 const MakeOptimizer& dense_optimizer, const MakeOptimizer& sparse_optimizer, std::size_t dense_batches,
                 std::size_t sparse_batches, int repeats) {
  std::vector<double> dense, sparse;
  for (int r = 0; r < repeats; ++r) {
    dense.push_back(seconds_per_epoch(x, labels, mlp, false, dense_optimizer, dense_batches));
    sparse.push_back(seconds_per_epoch(x, labels, mlp, true, sparse_optimizer, sparse_batches));
  }
  return {median(dense), median(sparse)};
}

template <template <class> class Opt, class Options>
MakeOptimizer maker(Options options) {
  return [options](const std::vector<Tensor>& params) { return std::make_unique<Opt<float>>(params, options); };
}

}  // namespace

int main() {
  struct Case {
    std::size_t vocab;
    std::size_t dense_batches;
    double speed_goal;
    int repeats;
  };
  const std::size_t per_epoch = (sentences + batch_size - 1) / batch_size;
  const char* blas_threads = std::getenv("OPENBLAS_NUM_THREADS");
  std::printf(
      "bag-of-words training, %zu synthetic Zipf sentences of %zu words, batch %zu (%zu batches/epoch), "
      "OPENBLAS_NUM_THREADS=%s\n",
      sentences, words_per_sentence, batch_size, per_epoch, blas_threads ? blas_threads : "(unset)");
  std::printf("%7s %7s %-18s %13s %13s %8s %6s %s\n", "vocab", "model", "optimizer", "dense s/epoch", "sparse s/epoch",
              "speedup", "goal", "");
  for (const Case c : {Case{5'000, 40, 3, 5}, Case{100'000, 4, 20, 3}}) {
    Generator gen(2026);
    const CsrMatrix<float> x = zipf_sentences(c.vocab, gen);
    std::vector<std::size_t> labels(x.rows);
    for (auto& l : labels) l = gen.randint(2);
    struct Row {
      const char* name;
      MakeOptimizer dense, sparse;
      bool has_goal;
    };
    const std::vector<Row> rows{
        {"Adagrad", maker<optim::Adagrad>(optim::AdagradOptions{.lr = 0.1}),
         maker<optim::Adagrad>(optim::AdagradOptions{.lr = 0.1}), true},
        {"RMSprop", maker<optim::RMSprop>(optim::RMSpropOptions{}), maker<optim::RMSprop>(optim::RMSpropOptions{}),
         true},
        {"Adam lazy", maker<optim::Adam>(optim::AdamOptions{}), maker<optim::Adam>(optim::AdamOptions{.lazy = true}),
         true},
        {"Adam densified", maker<optim::Adam>(optim::AdamOptions{}), maker<optim::Adam>(optim::AdamOptions{}), false},
    };
    for (bool mlp : {false, true})
      for (const Row& row : rows) {
        const auto [dense, sparse] =
            time_both(x, labels, mlp, row.dense, row.sparse, c.dense_batches, per_epoch - 1, c.repeats);
        const double speedup = dense / sparse;
        std::printf("%7zu %7s %-18s %13.3f %13.3f %7.1fx %5.0fx %s\n", c.vocab, mlp ? "V-64-2" : "logreg", row.name,
                    dense, sparse, speedup, c.speed_goal,
                    !row.has_goal             ? "(exact Adam: no goal)"
                    : speedup >= c.speed_goal ? "meets"
                                              : "MISSES");
      }
    const double dense_bytes = static_cast<double>(x.rows) * static_cast<double>(x.cols) * sizeof(float);
    const double csr_bytes = static_cast<double>(x.memory_bytes());
    std::printf("%7zu input memory: dense %.1f MB, CSR %.2f MB, %.0fx less%s\n", c.vocab, dense_bytes / 1e6,
                csr_bytes / 1e6, dense_bytes / csr_bytes, c.vocab >= 100'000 ? " (goal 10x)" : "");
    std::printf("        (medians of %d runs; dense epochs extrapolated from %zu batches, sparse from %zu)\n",
                c.repeats, c.dense_batches, per_epoch - 1);
  }
}
