#pragma once
// Gradient averaging overlapped with backward, as PyTorch's
// DistributedDataParallel reducer: each parameter's post-accumulate-grad hook
// copies its finished gradient into a bucket, and a bucket whose parameters
// are all finished starts its MPI_Iallreduce while backward goes on
// computing the gradients of the layers before it.
//
//   xg::distributed::DistributedDataParallel ddp(model.parameters(), {.bucket_bytes = 4 << 20});
//   for (const auto& batch : loader) {
//     optimizer.zero_grad();
//     ddp.prepare_for_backward(batch.y.size());
//     if (!batch.y.empty()) loss_of(batch).backward();
//     ddp.finalize_backward();  // waits for every bucket: the averaged gradients are in place
//     optimizer.step();
//   }
//
// The average is all_reduce_gradients' (each rank weighted by its rows over
// all ranks' rows, so a last partial batch and a rank without rows come out
// as one process on the global batch), with the same dense sums, so the
// averaged gradients are the same bits. Dense only: a row-sparse gradient is
// made dense in its bucket; a model with row-sparse gradients keeps them
// row-sparse, and Adagrad's lazy updates exact, with all_reduce_gradients.
//
// Buckets take the parameters in reverse order, as PyTorch's do, since the
// last layer's gradients are finished first, and start in that order on
// every rank (MPI requires the same order of collectives everywhere). The
// hooks run on the thread that calls backward, which must be the one that
// built the Environment (MPI_THREAD_FUNNELED).

#include <cstddef>
#include <vector>

#include <mpi.h>

#include <xgrad/autograd/post_accumulate_grad_hook.hpp>
#include <xgrad/core/tensor.hpp>
#include <xgrad/distributed/all_reduce_gradients.hpp>

namespace xg::distributed {

struct DistributedDataParallelOptions {
  std::size_t bucket_bytes = 25 * 1024 * 1024;  // PyTorch's bucket_cap_mb = 25
};

template <class Scalar>
class DistributedDataParallel {
 public:
  // A collective: every rank passes parameters of the same sizes in the same
  // order, or all of them throw xg::ShapeError naming the counts.
  explicit DistributedDataParallel(std::vector<BasicTensor<Scalar>> parameters,
                                   DistributedDataParallelOptions options = {});
  ~DistributedDataParallel();  // removes the hooks
  DistributedDataParallel(const DistributedDataParallel&) = delete;
  DistributedDataParallel& operator=(const DistributedDataParallel&) = delete;

  // Before backward: `rows` is the number of samples this rank's loss
  // averages over (0 when it has none and skips backward). A collective (one
  // small MPI_Allreduce of the rows). Outside prepare_for_backward ...
  // finalize_backward the hooks do nothing: a backward there stays local.
  void prepare_for_backward(std::size_t rows);
  // After backward, before the optimizer's step: sends the buckets not yet
  // started (parameters that got no gradient count as zeros), waits for all
  // of them and writes the averages into the gradients. Throws
  // std::logic_error without a prepare_for_backward before it.
  ExchangeStats finalize_backward();

 private:
  struct Bucket {
    std::vector<std::size_t> parameters;
    std::vector<Scalar> buffer;
    std::size_t pending = 0;  // parameters whose gradient is not in the buffer yet
  };
  void gradient_ready(std::size_t parameter);
  void pack(std::size_t parameter);
  void start_finished_buckets();
  void progress();
  std::size_t ring_all_reduce_bytes(std::size_t bytes) const;

  std::vector<BasicTensor<Scalar>> parameters_;
  std::vector<Bucket> buckets_;
  std::vector<std::size_t> bucket_of_, offset_of_;
  std::vector<bool> packed_;
  std::vector<MPI_Request> requests_;  // one per bucket; MPI_REQUEST_NULL when none is in flight
  std::vector<autograd::RemovableHandle> hooks_;
  std::size_t next_to_start_ = 0;
  bool prepared_ = false;
  int world_ = 1;
  double weight_ = 0;  // rows / global rows
  ExchangeStats stats_;
};

extern template class DistributedDataParallel<float>;
extern template class DistributedDataParallel<double>;

}  // namespace xg::distributed
