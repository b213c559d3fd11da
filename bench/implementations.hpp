#pragma once
// Each implementation trains a workload from its initial weights and reports
// the last loss and the time per step. LibTorch's are compiled only when CMake
// finds Torch (XGRAD_BENCH_LIBTORCH).

#include "training_run.hpp"
#include "workload.hpp"

namespace bench {

// xgrad through its public API, as a user writes it.
TrainingResult train_xgrad(const Workload& w);
// W3 with CSR inputs: sparse_addmm (the bias in the same op), Adagrad on the row-sparse
// weight gradient.
TrainingResult train_xgrad_sparse(const Workload& w);

// The forward, backward and update written out by hand over cblas and raw
// loops: the "no framework" floor.
TrainingResult train_handwritten(const Workload& w);
// W3 with CSR inputs: only the weight rows of the words in the batch are read,
// differentiated and updated (exact for Adagrad without decay: a zero
// gradient leaves a parameter and its sum unchanged).
TrainingResult train_handwritten_csr(const Workload& w);

// Only the 8 sgemm calls of one W4 step (3 forward, 3 weight-gradient, 2
// input-gradient) on buffers of the right sizes.
TrainingResult gemm_floor(const Workload& w);

#ifdef XGRAD_BENCH_LIBTORCH
TrainingResult train_libtorch(const Workload& w);
// W3 with EmbeddingBag(mode sum, per_sample_weights = the counts) and sparse
// gradients.
TrainingResult train_libtorch_embedding_bag(const Workload& w);
void set_libtorch_threads(int threads);
#endif

}  // namespace bench
