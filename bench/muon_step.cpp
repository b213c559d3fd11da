// Muon's step on one 1024×1024 float weight, its Newton-Schulz part alone,
// and the gemm floor of that part: the 15 sgemm calls its 5 iterations make
// (per iteration A = XXᵀ, B = cA·A + bA, X ← (B + aI)X), on buffers of the
// right sizes and nothing else. The three are timed in turn, 9 times after a
// warm-up; times are medians and each ratio is the median of the ratios of
// neighbouring runs, which share the load of a busy machine. BLAS threads
// come from OPENBLAS_NUM_THREADS (printed; 1 is the steadiest on a shared
// machine). Exits with status 1 when Newton-Schulz is above 1.2x its sgemm
// calls (issue #16).
//
//   OPENBLAS_NUM_THREADS=1 bench_muon_step

#include <cblas.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <functional>
#include <vector>

#include <xgrad/optim/optim.hpp>
#include <xgrad/xgrad.hpp>

#include "timing.hpp"

namespace {

using bench::median;
using bench::seconds_of;

constexpr std::size_t size = 1024;
constexpr int repetitions = 9;
constexpr double target_ratio = 1.2;

}  // namespace

int main() {
  using namespace xg::optim;
  xg::manual_seed(0);
  auto weight = xg::randn({size, size}, true);
  weight.grad() = xg::randn({size, size}).value();
  Muon<float> muon({weight}, {.lr = 0.02});
  const MuonOptions o = muon.options();
  const xg::Array<float> direction = weight.grad();

  const int n = static_cast<int>(size);
  std::vector<float> x(size * size, 0.01f), gram(size * size), poly(size * size), next(size * size);
  const auto gemms = [&] {
    for (std::int64_t k = 0; k < o.ns_steps; ++k) {
      cblas_sgemm(CblasRowMajor, CblasNoTrans, CblasTrans, n, n, n, 1.0f, x.data(), n, x.data(), n, 0.0f, gram.data(),
                  n);
      cblas_sgemm(CblasRowMajor, CblasNoTrans, CblasNoTrans, n, n, n, 2.0315f, gram.data(), n, gram.data(), n, -4.7750f,
                  poly.data(), n);
      cblas_sgemm(CblasRowMajor, CblasNoTrans, CblasNoTrans, n, n, n, 1.0f, poly.data(), n, x.data(), n, 0.0f,
                  next.data(), n);
    }
  };
  const auto newton_schulz = [&] {
    const auto out = zeropower_via_newtonschulz(direction, o.ns_coefficients, o.ns_steps, o.eps);
    if (out.size() != direction.size()) std::abort();
  };
  const auto step = [&] { muon.step(); };

  gemms();
  newton_schulz();
  step();  // allocates the momentum buffer
  std::vector<double> steps, schulz, floors, step_ratios, schulz_ratios;
  for (int r = 0; r < repetitions; ++r) {
    floors.push_back(seconds_of(gemms));
    schulz.push_back(seconds_of(newton_schulz));
    steps.push_back(seconds_of(step));
    schulz_ratios.push_back(schulz.back() / floors.back());
    step_ratios.push_back(steps.back() / floors.back());
  }
  const char* threads = std::getenv("OPENBLAS_NUM_THREADS");
  std::printf(
      "Muon on a %zux%zu float weight, %lld Newton-Schulz iterations, median of %d after a warm-up, "
      "OPENBLAS_NUM_THREADS=%s\n",
      size, size, static_cast<long long>(o.ns_steps), repetitions, threads ? threads : "unset");
  std::printf("%-34s %10s %14s\n", "", "ms", "x sgemm floor");
  std::printf("%-34s %10.2f %14.2f\n", "sgemm floor (15 calls)", median(floors) * 1e3, 1.0);
  const double ratio = median(schulz_ratios);
  std::printf("%-34s %10.2f %14.2f  met (<= %.1f): %s\n", "Newton-Schulz (zeropower)", median(schulz) * 1e3, ratio,
              target_ratio, ratio <= target_ratio ? "yes" : "no");
  std::printf("%-34s %10.2f %14.2f\n", "Muon step (momentum, NS, update)", median(steps) * 1e3, median(step_ratios));
  return ratio <= target_ratio ? 0 : 1;
}
