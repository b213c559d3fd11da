// Resident memory from /proc/self/status: VmRSS now, VmHWM the peak so far.
// The W4 budget counts what one Adam step of the 784-1024-1024-10 MLP must
// hold: parameters, gradients and the two moment buffers, and for each of
// the layer outputs and tanh outputs of one batch, its value and its
// gradient. The baseline is the resident memory once the data is built and
// BLAS has run once, before the model exists.

#include "memory_check.hpp"

#include <cblas.h>

#include <cstdio>
#include <fstream>
#include <stdexcept>
#include <string>
#include <vector>

#include "implementations.hpp"

namespace bench {

namespace {

constexpr double mib = 1024.0 * 1024.0;

double status_mib(const std::string& field) {
  std::ifstream status("/proc/self/status");
  std::string line;
  while (std::getline(status, line))
    if (line.rfind(field + ":", 0) == 0) return std::stod(line.substr(field.size() + 1)) * 1024.0 / mib;
  throw std::runtime_error("memory: /proc/self/status has no " + field);
}

void warm_up_blas(const Workload& w) {
  const std::size_t n = w.layers.front().out;
  std::vector<float> a(n * n, 1.0f), c(n * n);
  const int s = static_cast<int>(n);
  cblas_sgemm(CblasRowMajor, CblasNoTrans, CblasNoTrans, s, s, s, 1.0f, a.data(), s, a.data(), s, 0.0f, c.data(), s);
}

double step_footprint_mib(const Workload& w) {
  double parameters = 0, activations = 0;
  const double rows = static_cast<double>(w.batches.front().rows);
  for (std::size_t l = 0; l < w.layers.size(); ++l) {
    const LinearInit& layer = w.layers[l];
    parameters += static_cast<double>(layer.weight.size() + layer.bias.size());
    activations += rows * static_cast<double>(layer.out) * (l + 1 < w.layers.size() ? 2 : 1);
  }
  return (4 * parameters + 2 * activations) * sizeof(float) / mib;
}

}  // namespace

int check_memory() {
  bool ok = true;
  {
    Workload w = scale_workload();
    warm_up_blas(w);
    const double baseline = status_mib("VmRSS"), footprint = step_footprint_mib(w);
    train_xgrad(w);
    const double peak = status_mib("VmHWM"), budget = 1.3 * footprint + baseline;
    ok = ok && peak <= budget;
    std::printf(
        "W4 xgrad peak resident: %.1f MiB; baseline %.1f MiB + step footprint %.1f MiB; budget 1.3 x footprint "
        "+ baseline = %.1f MiB: %s\n",
        peak, baseline, footprint, budget, peak <= budget ? "met" : "NOT met");
  }
  {
    Workload w = digits_workload();
    w.timed_steps = 1000;
    train_xgrad(w);
    const double after_short = status_mib("VmRSS");
    w.timed_steps = 100'000;
    train_xgrad(w);
    const double after_long = status_mib("VmRSS");
    const bool flat = after_long <= after_short + 1.0;
    ok = ok && flat;
    std::printf("W2 xgrad resident after 1,000 steps %.1f MiB, after a further 100,000 steps %.1f MiB: %s\n",
                after_short, after_long, flat ? "no growth" : "GROWS");
  }
  return ok ? 0 : 1;
}

}  // namespace bench
