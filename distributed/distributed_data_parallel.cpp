#include <xgrad/distributed/distributed_data_parallel.hpp>

#include <algorithm>
#include <climits>
#include <cstdint>
#include <stdexcept>
#include <string>

#include <xgrad/core/error.hpp>
#include <xgrad/distributed/detail/mpi_type.hpp>
#include <xgrad/distributed/environment.hpp>

namespace xg::distributed {
namespace {

using detail::mpi_type;

constexpr const char* op = "DistributedDataParallel";

// Adds the wall time of the MPI calls in its scope to `seconds`.
class Timed {
 public:
  explicit Timed(double& seconds) : seconds_(seconds), start_(MPI_Wtime()) {}
  ~Timed() { seconds_ += MPI_Wtime() - start_; }

 private:
  double& seconds_;
  double start_;
};

// Every rank must hold as many parameters, of as many elements in all: the
// maximum and minimum of both over ranks, in one MPI_Allreduce of (x, -x).
void check_same_sizes_on_every_rank(std::size_t parameters, std::size_t elements) {
  std::int64_t extremes[4] = {static_cast<std::int64_t>(parameters), -static_cast<std::int64_t>(parameters),
                              static_cast<std::int64_t>(elements), -static_cast<std::int64_t>(elements)};
  check(MPI_Allreduce(MPI_IN_PLACE, extremes, 4, MPI_INT64_T, MPI_MAX, MPI_COMM_WORLD), "MPI_Allreduce");
  if (extremes[0] != -extremes[1] || extremes[2] != -extremes[3])
    throw_shape_error(op, "the ranks hold different models: between " + std::to_string(-extremes[1]) + " and " +
                              std::to_string(extremes[0]) + " parameters of between " + std::to_string(-extremes[3]) +
                              " and " + std::to_string(extremes[2]) + " elements (this rank: " +
                              std::to_string(parameters) + " of " + std::to_string(elements) + ")");
}

}  // namespace

template <class Scalar>
DistributedDataParallel<Scalar>::DistributedDataParallel(std::vector<BasicTensor<Scalar>> parameters,
                                                         DistributedDataParallelOptions options)
    : parameters_(std::move(parameters)),
      bucket_of_(parameters_.size()),
      offset_of_(parameters_.size()),
      packed_(parameters_.size(), false) {
  check(MPI_Comm_size(MPI_COMM_WORLD, &world_), "MPI_Comm_size");
  std::size_t elements = 0;
  for (const auto& p : parameters_) elements += p.numel();
  check_same_sizes_on_every_rank(parameters_.size(), elements);
  const std::size_t bucket_elements = std::max<std::size_t>(1, options.bucket_bytes / sizeof(Scalar));
  for (std::size_t i = parameters_.size(); i-- > 0;) {
    const std::size_t size = parameters_[i].numel();
    if (buckets_.empty() || (!buckets_.back().buffer.empty() && buckets_.back().buffer.size() + size > bucket_elements))
      buckets_.emplace_back();
    Bucket& bucket = buckets_.back();
    if (bucket.buffer.size() + size > static_cast<std::size_t>(INT_MAX))
      throw_invalid_argument(op, "a bucket of " + std::to_string(bucket.buffer.size() + size) +
                                     " elements exceeds MPI's int count; lower bucket_bytes");
    bucket_of_[i] = buckets_.size() - 1;
    offset_of_[i] = bucket.buffer.size();
    bucket.parameters.push_back(i);
    bucket.buffer.resize(bucket.buffer.size() + size);
  }
  requests_.assign(buckets_.size(), MPI_REQUEST_NULL);
  for (std::size_t i = 0; i < parameters_.size(); ++i)
    hooks_.push_back(autograd::register_post_accumulate_grad_hook<Scalar>(
        parameters_[i], [this, i](const BasicTensor<Scalar>&) { gradient_ready(i); }));
}

template <class Scalar>
DistributedDataParallel<Scalar>::~DistributedDataParallel() {
  for (auto& h : hooks_) h.remove();
  // A step abandoned by an exception leaves requests in flight; their
  // buffers are about to go.
  for (MPI_Request& r : requests_)
    if (r != MPI_REQUEST_NULL) MPI_Wait(&r, MPI_STATUS_IGNORE);
}

template <class Scalar>
void DistributedDataParallel<Scalar>::prepare_for_backward(std::size_t rows) {
  if (prepared_)
    throw std::logic_error("DistributedDataParallel: prepare_for_backward twice without finalize_backward");
  stats_ = {};
  std::uint64_t global_rows = rows;
  {
    Timed timed(stats_.seconds);
    check(MPI_Allreduce(MPI_IN_PLACE, &global_rows, 1, MPI_UINT64_T, MPI_SUM, MPI_COMM_WORLD), "MPI_Allreduce");
  }
  stats_.bytes_sent += ring_all_reduce_bytes(sizeof(std::uint64_t));
  if (global_rows == 0) throw_invalid_argument(op, "no process has a row in this batch (rows is 0 on every rank)");
  weight_ = static_cast<double>(rows) / static_cast<double>(global_rows);
  for (Bucket& b : buckets_) b.pending = b.parameters.size();
  std::fill(packed_.begin(), packed_.end(), false);
  next_to_start_ = 0;
  prepared_ = true;
}

template <class Scalar>
void DistributedDataParallel<Scalar>::gradient_ready(std::size_t parameter) {
  if (!prepared_) return;
  if (packed_[parameter])
    throw std::logic_error("DistributedDataParallel: the gradient of parameter " + std::to_string(parameter) +
                           " was finished twice in one step (two backward passes between prepare_for_backward and "
                           "finalize_backward); its bucket may already be on its way");
  pack(parameter);
  start_finished_buckets();
  progress();
}

// g x rows / global rows, rounded once, as all_reduce_gradients weighs it.
template <class Scalar>
void DistributedDataParallel<Scalar>::pack(std::size_t parameter) {
  auto& node = *parameters_[parameter].node();
  Bucket& bucket = buckets_[bucket_of_[parameter]];
  Scalar* at = bucket.buffer.data() + offset_of_[parameter];
  if (node.has_grad || node.sparse_grad) {
    node.densify_grad();
    std::transform(node.grad.data(), node.grad.data() + node.grad.size(), at,
                   [this](Scalar g) { return static_cast<Scalar>(static_cast<double>(g) * weight_); });
  } else {
    std::fill(at, at + node.value.size(), Scalar(0));
  }
  packed_[parameter] = true;
  --bucket.pending;
}

template <class Scalar>
void DistributedDataParallel<Scalar>::start_finished_buckets() {
  for (; next_to_start_ < buckets_.size() && buckets_[next_to_start_].pending == 0; ++next_to_start_) {
    Bucket& b = buckets_[next_to_start_];
    Timed timed(stats_.seconds);
    check(MPI_Iallreduce(MPI_IN_PLACE, b.buffer.data(), static_cast<int>(b.buffer.size()), mpi_type<Scalar>(), MPI_SUM,
                         MPI_COMM_WORLD, &requests_[next_to_start_]),
          "MPI_Iallreduce");
    ++stats_.all_reduce_calls;
    stats_.dense_bytes += b.buffer.size() * sizeof(Scalar);
    stats_.bytes_sent += ring_all_reduce_bytes(b.buffer.size() * sizeof(Scalar));
  }
}

// Open MPI moves a non-blocking collective along only inside MPI calls (it
// has no progress thread by default): every finished gradient gives it one.
template <class Scalar>
void DistributedDataParallel<Scalar>::progress() {
  if (next_to_start_ == 0) return;
  int done = 0;
  Timed timed(stats_.seconds);
  check(MPI_Testall(static_cast<int>(next_to_start_), requests_.data(), &done, MPI_STATUSES_IGNORE), "MPI_Testall");
}

template <class Scalar>
ExchangeStats DistributedDataParallel<Scalar>::finalize_backward() {
  if (!prepared_) throw std::logic_error("DistributedDataParallel: finalize_backward without prepare_for_backward");
  prepared_ = false;
  for (std::size_t i = 0; i < parameters_.size(); ++i)
    if (!packed_[i]) pack(i);
  start_finished_buckets();
  {
    Timed timed(stats_.seconds);
    check(MPI_Waitall(static_cast<int>(requests_.size()), requests_.data(), MPI_STATUSES_IGNORE), "MPI_Waitall");
  }
  for (std::size_t i = 0; i < parameters_.size(); ++i) {
    auto& grad = parameters_[i].grad();  // zeros of the value's shape where this rank had none
    const Scalar* from = buckets_[bucket_of_[i]].buffer.data() + offset_of_[i];
    std::copy(from, from + grad.size(), grad.data());
  }
  return stats_;
}

template <class Scalar>
std::size_t DistributedDataParallel<Scalar>::ring_all_reduce_bytes(std::size_t bytes) const {
  const auto p = static_cast<std::size_t>(world_);
  return p == 1 ? 0 : 2 * (p - 1) * bytes / p;
}

template class DistributedDataParallel<float>;
template class DistributedDataParallel<double>;

}  // namespace xg::distributed
