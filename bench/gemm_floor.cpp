// The GEMM-only floor of W4: the 8 sgemm calls of one training step of the
// MLP (per layer a forward product, a weight gradient, and an input gradient
// for every layer but the first) on buffers of the right sizes, and nothing
// else. No framework can train the model faster than this.

#include <cblas.h>

#include <algorithm>
#include <vector>

#include "implementations.hpp"

namespace bench {

TrainingResult gemm_floor(const Workload& w) {
  std::size_t widest = 0;
  for (const LinearInit& l : w.layers) widest = std::max({widest, l.in, l.out});
  const std::size_t rows = w.batches.front().rows;
  std::vector<float> a(rows * widest, 0.5f), b(rows * widest, 0.25f), c(rows * widest), weight(widest * widest, 0.01f),
      gradient(widest * widest);
  return run_training(w, [&](std::size_t) {
    for (const LinearInit& l : w.layers)
      cblas_sgemm(CblasRowMajor, CblasNoTrans, CblasTrans, rows, l.out, l.in, 1.0f, a.data(), l.in, weight.data(), l.in,
                  1.0f, c.data(), l.out);
    for (std::size_t i = w.layers.size(); i-- > 0;) {
      const LinearInit& l = w.layers[i];
      cblas_sgemm(CblasRowMajor, CblasTrans, CblasNoTrans, l.out, l.in, rows, 1.0f, b.data(), l.out, a.data(), l.in,
                  0.0f, gradient.data(), l.in);
      if (i > 0)
        cblas_sgemm(CblasRowMajor, CblasNoTrans, CblasNoTrans, rows, l.in, l.out, 1.0f, b.data(), l.out, weight.data(),
                    l.in, 0.0f, c.data(), l.in);
    }
    return 0.0;
  });
}

}  // namespace bench
