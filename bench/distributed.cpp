// What data-parallel training costs on this machine (issue #19), one mode per
// run, rank 0 printing one key=value line; bench/distributed.sh runs them all.
//
//   mpirun -np 2 bench_distributed --bytes    W3's exchange at a 100,000-word
//       vocabulary: bytes each rank sends per step with the row-sparse
//       exchange and with a dense all-reduce of the same gradient.
//   [mpirun -np P] bench_distributed --w4     W4 (784-1024-1024-10, Adam,
//       global batch 256 split over the ranks): step time and its MPI share,
//       all_reduce_gradients after backward.
//   [mpirun -np P] bench_distributed --w4-overlap   the same with
//       DistributedDataParallel, each bucket's all-reduce started within
//       backward; 1 MiB buckets (PyTorch's first bucket), since at the
//       25 MB default W4's 7.5 MB of gradients are one bucket, finished last.
//
// BLAS threads come from OPENBLAS_NUM_THREADS, which the line reports.

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <optional>
#include <string>

#include <xgrad/distributed/distributed.hpp>
#include <xgrad/xgrad.hpp>

#include "workload.hpp"

namespace xd = xg::distributed;

namespace {

constexpr std::size_t vocabulary = 100'000;

// Rows [r n / p, (r + 1) n / p) of a batch of n: this rank's share.
std::pair<std::size_t, std::size_t> share(std::size_t n, const xd::Environment& env) {
  const auto p = static_cast<std::size_t>(env.world_size()), r = static_cast<std::size_t>(env.rank());
  return {r * n / p, (r + 1) * n / p};
}

void bytes_per_step(const xd::Environment& env) {
  const bench::Workload w = bench::sentiment_workload();
  for (bool dense : {false, true}) {
    // W3's model with its weight widened to the vocabulary: words beyond the
    // data's own never occur, as in a large vocabulary most words do not in a batch.
    auto weight = xg::zeros({vocabulary, 2}, true);
    auto bias = xg::zeros({2}, true);
    xg::optim::Adagrad<float> optimizer({weight, bias}, {.lr = w.lr});
    std::size_t sent = 0, dense_bytes = 0, steps = 0;
    double seconds = 0;
    for (const bench::Batch& b : w.batches) {
      const auto [first, last] = share(b.rows, env);
      xg::CsrMatrix<float> x = b.sparse.slice_rows(first, last);
      x.cols = vocabulary;
      optimizer.zero_grad();
      if (last > first) {
        std::vector<std::size_t> labels(b.labels.begin() + static_cast<long>(first),
                                        b.labels.begin() + static_cast<long>(last));
        xg::nn::functional::cross_entropy(xg::sparse_matmul(x, weight) + bias, labels).backward();
      }
      if (dense) weight.grad();  // made dense: the exchange all-reduces every row
      const auto stats = xd::all_reduce_gradients(std::vector<xg::Tensor>{weight, bias}, last - first);
      optimizer.step();
      sent += stats.bytes_sent;
      dense_bytes += stats.dense_bytes;
      seconds += stats.seconds;
      ++steps;
    }
    if (env.rank() == 0)
      std::printf(
          "bytes exchange=%s processes=%d vocabulary=%zu steps=%zu bytes_sent_per_step=%.0f "
          "all_reduced_bytes_per_step=%.0f mpi_us_per_step=%.1f\n",
          dense ? "dense" : "sparse", env.world_size(), vocabulary, steps,
          static_cast<double>(sent) / static_cast<double>(steps),
          static_cast<double>(dense_bytes) / static_cast<double>(steps), 1e6 * seconds / static_cast<double>(steps));
  }
}

void w4_step_time(const xd::Environment& env, bool overlap) {
  const bench::Workload w = bench::scale_workload();
  xg::nn::Sequential model;
  for (std::size_t l = 0; l < w.layers.size(); ++l) {
    const bench::LinearInit& init = w.layers[l];
    xg::nn::Linear layer(init.in, init.out);
    std::copy(init.weight.begin(), init.weight.end(), layer.weight.value().data());
    std::copy(init.bias.begin(), init.bias.end(), layer.bias.value().data());
    model.push_back(std::move(layer));
    if (l + 1 < w.layers.size()) model.push_back(xg::nn::Tanh());
  }
  xg::optim::Adam<float> optimizer(model.parameters(), {.lr = w.lr});
  std::vector<xg::Tensor> inputs;
  std::vector<std::vector<std::size_t>> labels;
  for (const bench::Batch& b : w.batches) {
    const auto [first, last] = share(b.rows, env);
    auto x = xg::Array<float>::from_shape({last - first, w.inputs()});
    std::copy(b.features.begin() + static_cast<long>(first * w.inputs()),
              b.features.begin() + static_cast<long>(last * w.inputs()), x.data());
    inputs.emplace_back(std::move(x));
    labels.emplace_back(b.labels.begin() + static_cast<long>(first), b.labels.begin() + static_cast<long>(last));
  }
  std::optional<xd::DistributedDataParallel<float>> ddp;  // its hooks only in the overlapped runs
  if (overlap) ddp.emplace(model.parameters(), xd::DistributedDataParallelOptions{.bucket_bytes = 1 << 20});
  double mpi_seconds = 0;
  auto start = std::chrono::steady_clock::now();
  for (std::size_t s = 0; s < w.warmup_steps + w.timed_steps; ++s) {
    if (s == w.warmup_steps) {
      xd::barrier();
      start = std::chrono::steady_clock::now();
      mpi_seconds = 0;
    }
    const std::size_t b = s % w.batches.size();
    optimizer.zero_grad();
    if (overlap) ddp->prepare_for_backward(labels[b].size());
    xg::nn::functional::cross_entropy(model(inputs[b]), labels[b]).backward();
    mpi_seconds +=
        overlap ? ddp->finalize_backward().seconds : xd::all_reduce_gradients(model, labels[b].size()).seconds;
    optimizer.step();
  }
  const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  const double step_ms = 1e3 * seconds / static_cast<double>(w.timed_steps);
  const double mpi_ms = 1e3 * mpi_seconds / static_cast<double>(w.timed_steps);
  const char* threads = std::getenv("OPENBLAS_NUM_THREADS");
  if (env.rank() == 0)
    std::printf("w4 processes=%d blas_threads=%s exchange=%s steps=%zu step_ms=%.2f mpi_ms=%.2f mpi_share=%.3f\n",
                env.world_size(), threads ? threads : "unset", overlap ? "overlapped" : "after_backward", w.timed_steps,
                step_ms, mpi_ms, mpi_ms / step_ms);
}

}  // namespace

int main(int argc, char** argv) {
  xd::Environment env(argc, argv);
  try {
    const std::string mode = argc > 1 ? argv[1] : "";
    if (mode == "--bytes")
      bytes_per_step(env);
    else if (mode == "--w4")
      w4_step_time(env, false);
    else if (mode == "--w4-overlap")
      w4_step_time(env, true);
    else
      throw std::invalid_argument("usage: bench_distributed --bytes | --w4 | --w4-overlap");
  } catch (const std::exception& e) {
    env.abort(std::string("bench_distributed: ") + e.what());
  }
}
