// Slicing a few rows of a large tensor, forward and backward, against a
// hand-written loop doing the same work: copy the rows out, add their
// gradient back into the same rows of the input's gradient. xgrad's backward
// writes into that region directly, so the ratio should not grow with the
// size of the input (a dense temporary the size of the input would make it
// grow). Times are medians of 9 runs after a warm-up, each ratio the median of
// the ratios of neighbouring runs.
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
  sliced();
  handwritten();
  std::vector<double> ours, loops, ratios;
  for (int r = 0; r < repetitions; ++r) {
    loops.push_back(seconds_of(handwritten));
    ours.push_back(seconds_of(sliced));
    ratios.push_back(ours.back() / loops.back());
  }
  std::printf("%-10zu %14.2f %14.2f %10.2f\n", rows, median(ours) / steps * 1e6, median(loops) / steps * 1e6,
              median(ratios));
}

}  // namespace

int main() {
  xg::manual_seed(0);
  std::printf("x.index({Slice(%zu, %zu)}) of a (rows, %zu) float tensor, forward + backward, %d steps per run\n",
              first_row, first_row + picked_rows, cols, steps);
  std::printf("%-10s %14s %14s %10s\n", "rows", "xgrad us/step", "loop us/step", "ratio");
  for (std::size_t rows : {2048, 8192, 32768}) compare(rows);
  return 0;
}
