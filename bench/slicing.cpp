// Slicing a few rows of a large tensor, forward and backward, against a
// hand-written loop doing the same work: copy the rows out, add their
// gradient back into the same rows of the input's gradient. xgrad's backward
// writes into that region directly, so the ratio should not grow with the
// size of the input (a dense temporary the size of the input would make it
// grow). Then the forward alone, under no_grad, for a growing block of rows:
// a view costs the same whatever its size, so against a loop copying the
// rows out the ratio falls as the block grows (a copy would keep it near 1).
// Times are medians of 9 runs after a warm-up, each ratio the median of the
// ratios of neighbouring runs.
//
//   bench_slicing

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <vector>

#include <xgrad/xgrad.hpp>

#include "timing.hpp"

namespace {

using bench::median;
using bench::seconds_of;

constexpr std::size_t cols = 512, first_row = 1000, picked_rows = 16;
constexpr int steps = 2000, repetitions = 9;

template <class Ours, class Loop>
void report(std::size_t size, Ours&& ours_step, Loop&& loop_step, int per_run) {
  ours_step();
  loop_step();
  std::vector<double> ours, loops, ratios;
  for (int r = 0; r < repetitions; ++r) {
    loops.push_back(seconds_of(loop_step));
    ours.push_back(seconds_of(ours_step));
    ratios.push_back(ours.back() / loops.back());
  }
  std::printf("%-10zu %14.2f %14.2f %10.3g\n", size, median(ours) / per_run * 1e6, median(loops) / per_run * 1e6,
              median(ratios));
}

void compare(std::size_t rows) {
  auto x = xg::randn({rows, cols}, true);
  x.grad();  // allocated once, as after a first training step
  const xg::Array<float> upstream = xg::ones<float>({picked_rows, cols}).value();
  const auto sliced = [&] {
    for (int s = 0; s < steps; ++s) {
      auto y = x.index({xg::Slice(first_row, first_row + picked_rows)});
      y.backward(upstream);
    }
  };
  std::vector<float> out(picked_rows * cols);
  const auto handwritten = [&] {
    const float* src = x.value().data() + first_row * cols;
    float* grad = x.grad().data() + first_row * cols;
    const float* g = upstream.data();
    for (int s = 0; s < steps; ++s) {
      std::copy_n(src, picked_rows * cols, out.data());
      for (std::size_t i = 0; i < picked_rows * cols; ++i) grad[i] += g[i];
    }
    if (out[0] != src[0]) std::abort();
  };
  report(rows, sliced, handwritten, steps);
}

void compare_forward(const xg::Tensor& x, std::size_t block) {
  xg::no_grad guard;
  constexpr int calls = 200;
  double checksum = 0;
  const auto viewed = [&] {
    for (int c = 0; c < calls; ++c) checksum += x.narrow(0, 0, block).value().data()[block * cols - 1];
  };
  std::vector<float> out(block * cols);
  const auto copied = [&] {
    for (int c = 0; c < calls; ++c) {
      std::copy_n(x.value().data(), block * cols, out.data());
      checksum += out[block * cols - 1];
    }
  };
  report(block, viewed, copied, calls);
  if (checksum == 0) std::abort();
}

}  // namespace

int main() {
  xg::manual_seed(0);
  std::printf("x.index({Slice(%zu, %zu)}) of a (rows, %zu) float tensor, forward + backward, %d steps per run\n",
              first_row, first_row + picked_rows, cols, steps);
  std::printf("%-10s %14s %14s %10s\n", "rows", "xgrad us/step", "loop us/step", "ratio");
  for (std::size_t rows : {2048, 8192, 32768}) compare(rows);
  const auto x = xg::randn({32768, cols});
  std::printf("\nx.narrow(0, 0, rows) of a (32768, %zu) float tensor under no_grad, forward only\n", cols);
  std::printf("%-10s %14s %14s %10s\n", "rows", "xgrad us/call", "copy us/call", "ratio");
  for (std::size_t block : {16, 256, 4096, 32768}) compare_forward(x, block);
  return 0;
}
