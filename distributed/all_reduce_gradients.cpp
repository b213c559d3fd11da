#include <xgrad/distributed/all_reduce_gradients.hpp>

#include <algorithm>
#include <climits>
#include <cstdint>
#include <numeric>
#include <string>

#include <mpi.h>

#include <xgrad/core/error.hpp>
#include <xgrad/core/row_sparse.hpp>
#include <xgrad/distributed/detail/mpi_type.hpp>
#include <xgrad/distributed/environment.hpp>

namespace xg::distributed {
namespace {

using detail::mpi_type;

constexpr const char* op = "all_reduce_gradients";

int mpi_count(std::size_t n, const char* what) {
  if (n > static_cast<std::size_t>(INT_MAX))
    throw_invalid_argument(op, std::string(what) + " of " + std::to_string(n) + " elements exceeds MPI's int count");
  return static_cast<int>(n);
}

// Times the MPI calls of one exchange.
class Timed {
 public:
  explicit Timed(ExchangeStats& stats) : stats_(stats), start_(MPI_Wtime()) {}
  ~Timed() { stats_.seconds += MPI_Wtime() - start_; }

 private:
  ExchangeStats& stats_;
  double start_;
};

enum class Kind { none, dense, sparse };

template <class Scalar>
class Exchange {
 public:
  Exchange(const std::vector<BasicTensor<Scalar>>& parameters, std::size_t rows, AllReduceOptions options)
      : parameters_(parameters), options_(options) {
    check(MPI_Comm_size(MPI_COMM_WORLD, &world_), "MPI_Comm_size");
    agree_on_kinds(rows);
  }

  ExchangeStats run() {
    all_reduce_dense();
    all_gather_sparse();
    return stats_;
  }

 private:
  // One MPI_Allreduce (sum) of this rank's rows and, per parameter, whether
  // its gradient is dense or row-sparse here: a parameter dense on any rank
  // is dense everywhere.
  void agree_on_kinds(std::size_t rows) {
    const std::size_t n = parameters_.size();
    // The last count is the ranks whose gradients do not fit their
    // parameters: all ranks then throw together instead of some waiting in
    // the next collective for one that left.
    std::vector<std::uint64_t> counts(2 + 2 * n, 0);
    counts[0] = rows;
    std::string misfit;
    for (std::size_t i = 0; i < n && misfit.empty(); ++i) {
      const auto& node = *parameters_[i].node();
      try {
        if (node.has_grad) {
          if (!shapes_equal(node.grad.shape(), node.value.shape()))
            throw_shape_error(op, "the gradient of parameter " + std::to_string(i) + " has shape " +
                                      shape_to_string(node.grad.shape()) + " but the parameter has shape " +
                                      shape_to_string(node.value.shape()));
          counts[1 + 2 * i] = 1;
        } else if (node.sparse_grad) {
          check_rows_fit(op, *node.sparse_grad, {node.value.shape().data(), node.value.shape().size()},
                         RowCheck::range);
          counts[2 + 2 * i] = 1;
        }
      } catch (const ShapeError& e) {
        misfit = e.what();
      }
    }
    counts.back() = misfit.empty() ? 0 : 1;
    {
      Timed timed(stats_);
      check(MPI_Allreduce(MPI_IN_PLACE, counts.data(), mpi_count(counts.size(), "the kinds"), MPI_UINT64_T, MPI_SUM,
                          MPI_COMM_WORLD),
            "MPI_Allreduce");
    }
    stats_.bytes_sent += ring_all_reduce_bytes(counts.size() * sizeof(std::uint64_t));
    if (!misfit.empty()) throw ShapeError(misfit + " (on rank " + std::to_string(rank()) + ")");
    if (counts.back() > 0)
      throw_shape_error(
          op, std::to_string(counts.back()) + " other rank(s) hold a gradient that does not fit its parameter");
    if (counts[0] == 0) throw_invalid_argument(op, "no process has a row in this batch (rows is 0 on every rank)");
    rows_ = static_cast<double>(rows);
    global_rows_ = static_cast<double>(counts[0]);
    kinds_.resize(n);
    for (std::size_t i = 0; i < n; ++i)
      kinds_[i] = counts[1 + 2 * i] > 0 ? Kind::dense : counts[2 + 2 * i] > 0 ? Kind::sparse : Kind::none;
  }

  static int rank() {
    int r = 0;
    check(MPI_Comm_rank(MPI_COMM_WORLD, &r), "MPI_Comm_rank");
    return r;
  }

  std::size_t ring_all_reduce_bytes(std::size_t bytes) const {
    return world_ == 1 ? 0 : 2 * (static_cast<std::size_t>(world_) - 1) * bytes / static_cast<std::size_t>(world_);
  }
  std::size_t ring_all_gather_bytes(std::size_t total) const {
    return world_ == 1 ? 0 : (static_cast<std::size_t>(world_) - 1) * total / static_cast<std::size_t>(world_);
  }

  // Buckets of consecutive dense parameters of at most bucket_bytes (a larger
  // parameter is a bucket of its own), each summed with one MPI_Allreduce.
  void all_reduce_dense() {
    const std::size_t bucket_elements = std::max<std::size_t>(1, options_.bucket_bytes / sizeof(Scalar));
    std::vector<std::size_t> bucket;
    std::size_t elements = 0;
    for (std::size_t i = 0; i < parameters_.size(); ++i) {
      if (kinds_[i] != Kind::dense) continue;
      const std::size_t size = parameters_[i].numel();
      if (!bucket.empty() && elements + size > bucket_elements) {
        all_reduce_bucket(bucket, elements);
        bucket.clear();
        elements = 0;
      }
      bucket.push_back(i);
      elements += size;
    }
    if (!bucket.empty()) all_reduce_bucket(bucket, elements);
  }

  void all_reduce_bucket(const std::vector<std::size_t>& bucket, std::size_t elements) {
    buffer_.resize(elements);
    Scalar* at = buffer_.data();
    for (std::size_t i : bucket) {
      auto& node = *parameters_[i].node();
      const std::size_t size = node.value.size();
      if (node.has_grad || node.sparse_grad) {
        node.densify_grad();
        std::transform(node.grad.data(), node.grad.data() + size, at, [this](Scalar g) { return weighted(g); });
      } else {
        std::fill(at, at + size, Scalar(0));
      }
      at += size;
    }
    {
      Timed timed(stats_);
      check(MPI_Allreduce(MPI_IN_PLACE, buffer_.data(), mpi_count(elements, "a bucket"), mpi_type<Scalar>(), MPI_SUM,
                          MPI_COMM_WORLD),
            "MPI_Allreduce");
    }
    ++stats_.all_reduce_calls;
    stats_.dense_bytes += elements * sizeof(Scalar);
    stats_.bytes_sent += ring_all_reduce_bytes(elements * sizeof(Scalar));
    at = buffer_.data();
    for (std::size_t i : bucket) {
      auto& grad = parameters_[i].grad();  // zeros of the value's shape where this rank had none
      std::copy(at, at + grad.size(), grad.data());
      at += grad.size();
    }
  }

  // Every rank's rows of every row-sparse parameter, gathered with one
  // MPI_Allgather of the counts and one MPI_Allgatherv each of the indices and
  // the values, then merged in rank order.
  void all_gather_sparse() {
    std::vector<std::size_t> sparse;
    for (std::size_t i = 0; i < parameters_.size(); ++i)
      if (kinds_[i] == Kind::sparse) sparse.push_back(i);
    if (sparse.empty()) return;
    const std::size_t n = sparse.size(), p = static_cast<std::size_t>(world_);

    std::vector<std::uint64_t> my_counts(n, 0), counts(n * p);
    std::vector<std::uint64_t> my_rows;
    std::vector<Scalar> my_values;
    for (std::size_t k = 0; k < n; ++k) {
      auto& node = *parameters_[sparse[k]].node();
      if (!node.sparse_grad) continue;
      // Every rank's rows are merged as ascending lists.
      sort_rows(*node.sparse_grad);
      const RowSparse<Scalar>& g = *node.sparse_grad;
      my_counts[k] = g.rows.size();
      my_rows.insert(my_rows.end(), g.rows.begin(), g.rows.end());
      const std::size_t start = my_values.size();
      my_values.resize(start + g.values.size());
      std::transform(g.values.data(), g.values.data() + g.values.size(), my_values.data() + start,
                     [this](Scalar v) { return weighted(v); });
    }
    {
      Timed timed(stats_);
      check(MPI_Allgather(my_counts.data(), mpi_count(n, "the counts"), MPI_UINT64_T, counts.data(),
                          mpi_count(n, "the counts"), MPI_UINT64_T, MPI_COMM_WORLD),
            "MPI_Allgather");
    }

    std::vector<std::size_t> width(n);
    for (std::size_t k = 0; k < n; ++k) width[k] = row_width(parameters_[sparse[k]]);
    std::vector<int> row_counts(p), row_offsets(p), value_counts(p), value_offsets(p);
    std::size_t total_rows = 0, total_values = 0;
    for (std::size_t r = 0; r < p; ++r) {
      std::size_t rows = 0, values = 0;
      for (std::size_t k = 0; k < n; ++k) {
        rows += counts[r * n + k];
        values += counts[r * n + k] * width[k];
      }
      row_offsets[r] = mpi_count(total_rows, "the gathered rows");
      value_offsets[r] = mpi_count(total_values, "the gathered values");
      row_counts[r] = mpi_count(rows, "a rank's rows");
      value_counts[r] = mpi_count(values, "a rank's values");
      total_rows += rows;
      total_values += values;
    }
    mpi_count(total_rows, "the gathered rows");
    mpi_count(total_values, "the gathered values");
    std::vector<std::uint64_t> rows(total_rows);
    std::vector<Scalar> values(total_values);
    {
      Timed timed(stats_);
      check(MPI_Allgatherv(my_rows.data(), static_cast<int>(my_rows.size()), MPI_UINT64_T, rows.data(),
                           row_counts.data(), row_offsets.data(), MPI_UINT64_T, MPI_COMM_WORLD),
            "MPI_Allgatherv");
      check(MPI_Allgatherv(my_values.data(), static_cast<int>(my_values.size()), mpi_type<Scalar>(), values.data(),
                           value_counts.data(), value_offsets.data(), mpi_type<Scalar>(), MPI_COMM_WORLD),
            "MPI_Allgatherv");
    }
    stats_.all_gather_calls += 3;
    const std::size_t mine = my_rows.size() * sizeof(std::uint64_t) + my_values.size() * sizeof(Scalar);
    const std::size_t gathered = total_rows * sizeof(std::uint64_t) + total_values * sizeof(Scalar);
    stats_.sparse_bytes += mine;
    stats_.gathered_bytes += gathered;
    stats_.bytes_sent += ring_all_gather_bytes(gathered + counts.size() * sizeof(std::uint64_t));

    std::vector<std::size_t> row_at(p), value_at(p);
    for (std::size_t r = 0; r < p; ++r) {
      row_at[r] = static_cast<std::size_t>(row_offsets[r]);
      value_at[r] = static_cast<std::size_t>(value_offsets[r]);
    }
    for (std::size_t k = 0; k < n; ++k) {
      auto& node = *parameters_[sparse[k]].node();
      Shape shape = to_shape(node.value.shape());
      RowSparse<Scalar> merged;
      shape[0] = 0;
      merged.values = Array<Scalar>::from_shape(shape);
      for (std::size_t r = 0; r < p; ++r) {
        const std::size_t count = counts[r * n + k];
        RowSparse<Scalar> part;
        part.rows.assign(rows.begin() + static_cast<std::ptrdiff_t>(row_at[r]),
                         rows.begin() + static_cast<std::ptrdiff_t>(row_at[r] + count));
        shape[0] = count;
        part.values = Array<Scalar>::from_shape(shape);
        std::copy_n(values.data() + value_at[r], count * width[k], part.values.data());
        row_at[r] += count;
        value_at[r] += count * width[k];
        merge_rows(merged, part);
      }
      node.sparse_grad = std::make_unique<RowSparse<Scalar>>(std::move(merged));
    }
  }

  // g x rows / global rows, rounded once: with 3 ranks the weight 1/3 has
  // no exact float, and rounding it first would add an error to every element.
  Scalar weighted(Scalar g) const { return static_cast<Scalar>(static_cast<double>(g) * rows_ / global_rows_); }

  static std::size_t row_width(const BasicTensor<Scalar>& parameter) {
    const auto& shape = parameter.shape();
    return std::accumulate(shape.begin() + 1, shape.end(), std::size_t{1}, std::multiplies<>());
  }

  const std::vector<BasicTensor<Scalar>>& parameters_;
  AllReduceOptions options_;
  int world_ = 1;
  double rows_ = 0, global_rows_ = 1;
  std::vector<Kind> kinds_;
  std::vector<Scalar> buffer_;
  ExchangeStats stats_;
};

}  // namespace

template <class Scalar>
ExchangeStats all_reduce_gradients(const std::vector<BasicTensor<Scalar>>& parameters, std::size_t rows,
                                   AllReduceOptions options) {
  return Exchange<Scalar>(parameters, rows, options).run();
}

ExchangeStats all_reduce_gradients(const nn::Module& model, std::size_t rows, AllReduceOptions options) {
  return all_reduce_gradients(model.parameters(), rows, options);
}

template ExchangeStats all_reduce_gradients(const std::vector<Tensor>&, std::size_t, AllReduceOptions);
template ExchangeStats all_reduce_gradients(const std::vector<Tensor64>&, std::size_t, AllReduceOptions);

}  // namespace xg::distributed
