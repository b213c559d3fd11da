#pragma once
// The benchmark workloads as plain data every implementation reads: the
// training rows cut into batches in their training order, the step count,
// the layer sizes and the initial weights. Built once, before any timing, so
// every implementation sees the same numbers in the same order.

#include <cstddef>
#include <string>
#include <vector>

#include <xgrad/core/csr_matrix.hpp>

namespace bench {

// One mini-batch: `rows` consecutive training rows, row-major.
struct Batch {
  std::size_t rows = 0;
  std::vector<float> features;      // rows x inputs (dense workloads)
  std::vector<std::size_t> labels;  // one per row
  xg::CsrMatrix<float> sparse;      // the same rows as CSR (W3 only)
};

// A Linear layer's initial parameters in PyTorch's layout.
struct LinearInit {
  std::size_t in = 0, out = 0;
  std::vector<float> weight;  // out x in
  std::vector<float> bias;    // out
};

enum class OptimizerKind { Adagrad, Adam };

struct Workload {
  std::string name;
  std::string description;
  // Linear layers in order, with tanh between consecutive ones.
  std::vector<LinearInit> layers;
  OptimizerKind optimizer = OptimizerKind::Adagrad;
  double lr = 0.0;
  std::vector<Batch> batches;  // step s trains on batches[s % batches.size()]
  std::size_t warmup_steps = 0;
  std::size_t timed_steps = 0;
  bool has_sparse = false;

  std::size_t inputs() const { return layers.front().in; }
  std::size_t classes() const { return layers.back().out; }
  const Batch& batch(std::size_t step) const { return batches[step % batches.size()]; }
};

Workload iris_workload();       // W1
Workload digits_workload();     // W2
Workload sentiment_workload();  // W3
Workload scale_workload();      // W4

}  // namespace bench
