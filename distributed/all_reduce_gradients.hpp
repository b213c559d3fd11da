#pragma once
// Averages the gradients of every process after backward, so that each one
// then takes the step a single process would take on the global batch:
// DistributedDataParallel's reducer, as a call.
//
//   loss.backward();
//   xg::distributed::all_reduce_gradients(model, batch.y.size());
//   optimizer.step();
//
// Dense gradients are packed into buckets of contiguous memory and summed with
// one MPI_Allreduce per bucket. Row-sparse gradients (sparse_matmul,
// EmbeddingBag) stay row-sparse: one MPI_Allgather of every rank's row counts,
// then one MPI_Allgatherv of the row indices and one of the values, merged in
// rank order on every rank, so every rank holds the same rows and the exact
// lazy updates of Adagrad, RMSprop and Adadelta stay exact. Each rank's
// gradient is weighted by its share of the global batch (its rows over all
// ranks' rows), which is the mean a single process takes, for a last partial
// batch and for a rank that got no rows as well.

#include <cstddef>
#include <vector>

#include <xgrad/core/tensor.hpp>
#include <xgrad/nn/module.hpp>

namespace xg::distributed {

struct AllReduceOptions {
  std::size_t bucket_bytes = 25 * 1024 * 1024;  // PyTorch's bucket_cap_mb = 25
};

// What one exchange moved and cost, on this rank.
struct ExchangeStats {
  std::size_t dense_bytes = 0;     // dense gradients all-reduced (the buckets' size)
  std::size_t sparse_bytes = 0;    // this rank's row indices and values given to the all-gathers
  std::size_t gathered_bytes = 0;  // all ranks' row indices and values, as every rank receives them
  // Bytes this rank puts on the wire under the bandwidth-optimal (ring)
  // algorithms: 2(p-1)/p of each all-reduced buffer, (p-1)/p of each
  // all-gathered total, plus the counts; 0 with one process.
  std::size_t bytes_sent = 0;
  std::size_t all_reduce_calls = 0;
  std::size_t all_gather_calls = 0;
  double seconds = 0;  // wall time inside MPI calls
};

// Replaces the gradient of every parameter by the average over ranks of
// (rows / global rows) x gradient, where `rows` is the number of samples this
// rank's loss averaged over (0 when it got none: its gradient, if any, is
// ignored). A collective: every rank calls it with the same parameters, in
// the same order. A parameter whose gradient is dense on any rank is
// exchanged dense; one that has none on every rank keeps none. Throws
// std::invalid_argument when no rank has a row, xg::ShapeError when a
// gradient's shape is not its parameter's.
template <class Scalar>
ExchangeStats all_reduce_gradients(const std::vector<BasicTensor<Scalar>>& parameters, std::size_t rows,
                                   AllReduceOptions options = {});
ExchangeStats all_reduce_gradients(const nn::Module& model, std::size_t rows, AllReduceOptions options = {});

extern template ExchangeStats all_reduce_gradients(const std::vector<Tensor>&, std::size_t, AllReduceOptions);
extern template ExchangeStats all_reduce_gradients(const std::vector<Tensor64>&, std::size_t, AllReduceOptions);

}  // namespace xg::distributed
