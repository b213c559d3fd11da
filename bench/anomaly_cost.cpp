// What xg::autograd::detect_anomaly costs, on the digits MLP's training step
// (Linear 64-64, tanh, Linear 64-10, cross-entropy, batch 32, Adagrad): steps
// with no guard, inside `detect_anomaly guard(false)` and inside
// `detect_anomaly guard(true)`, reported as ratios to the unguarded step.
// The three are timed in rotating order, ten epochs of the digits each, 9
// times; each ratio is the median over the repetitions of the ratio within
// one, as neighbouring runs share the load of a busy machine. The first line printed
// says how many BLAS threads were asked for; OPENBLAS_NUM_THREADS=1 is the
// setting to compare.
//
//   OPENBLAS_NUM_THREADS=1 bench_anomaly_cost [--repetitions N]

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <memory>
#include <optional>
#include <vector>

#include <xgrad/xgrad.hpp>

namespace {

using namespace xg;

double median(std::vector<double> v) {
  std::sort(v.begin(), v.end());
  return v[v.size() / 2];
}

// One model and optimizer per variant, from the same seed, so that the three
// do the same arithmetic on the same batches.
struct Training {
  nn::Sequential model{nn::Linear(64, 64), nn::Tanh(), nn::Linear(64, 10)};
  optim::Adagrad<float> optimizer{model.named_parameters(), {.lr = 0.1}};

  void step(const datasets::Batch& batch) {
    auto loss = nn::functional::cross_entropy(model(batch.x), batch.y);
    optimizer.zero_grad();
    loss.backward();
    optimizer.step();
  }
};

constexpr int epochs_per_timing = 10;

// Seconds for epochs_per_timing epochs of `batches`, with the anomaly guard
// given (none, off or on) open around them.
double epochs_seconds(Training& training, const std::vector<datasets::Batch>& batches, std::optional<bool> anomaly) {
  std::optional<autograd::detect_anomaly> guard;
  if (anomaly) guard.emplace(*anomaly);
  const auto start = std::chrono::steady_clock::now();
  for (int epoch = 0; epoch < epochs_per_timing; ++epoch)
    for (const auto& batch : batches) training.step(batch);
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
}

}  // namespace

int main(int argc, char** argv) try {
  int repetitions = 9;
  for (int i = 1; i < argc; ++i) {
    if (std::strcmp(argv[i], "--repetitions") == 0 && i + 1 < argc && std::atoi(argv[i + 1]) >= 5) {
      repetitions = std::atoi(argv[++i]);
    } else {
      std::fprintf(stderr, "usage: bench_anomaly_cost [--repetitions N (at least 5)]\n");
      return 2;
    }
  }

  manual_seed(0);
  auto digits = datasets::load_digits();
  digits.features /= 16.0f;
  datasets::DataLoader loader(digits, {.batch_size = 32});
  std::vector<datasets::Batch> batches;
  // Copies: the loader reuses its batch's buffer.
  for (const auto& batch : loader) batches.push_back({Tensor(Array<float>(batch.x.value())), batch.y});

  const std::optional<bool> variants[] = {std::nullopt, false, true};
  std::vector<std::unique_ptr<Training>> trainings;
  for (int v = 0; v < 3; ++v) {
    manual_seed(1);
    trainings.push_back(std::make_unique<Training>());
    epochs_seconds(*trainings[v], batches, variants[v]);  // warm-up
  }

  std::vector<double> seconds[3], off_ratio, on_ratio;
  for (int r = 0; r < repetitions; ++r) {
    double t[3];
    // Each variant in turn goes first, so that none always meets the cache
    // or the machine's load as the one before left it.
    for (int k = 0; k < 3; ++k) {
      const int v = (r + k) % 3;
      seconds[v].push_back(t[v] = epochs_seconds(*trainings[v], batches, variants[v]));
    }
    off_ratio.push_back(t[1] / t[0]);
    on_ratio.push_back(t[2] / t[0]);
  }
  const double steps = static_cast<double>(batches.size()) * epochs_per_timing;
  const char* threads = std::getenv("OPENBLAS_NUM_THREADS");
  std::printf(
      "digits MLP step (64-64 tanh 64-10, batch 32, Adagrad), %.0f steps x %d repetitions, "
      "OPENBLAS_NUM_THREADS=%s\n",
      steps, repetitions, threads ? threads : "unset");
  std::printf("no guard:              %.2f us/step\n", 1e6 * median(seconds[0]) / steps);
  std::printf("detect_anomaly(false): %.2f us/step, ratio to no guard %.3f\n", 1e6 * median(seconds[1]) / steps,
              median(off_ratio));
  std::printf("detect_anomaly(true):  %.2f us/step, ratio to no guard %.3f\n", 1e6 * median(seconds[2]) / steps,
              median(on_ratio));
} catch (const std::exception& e) {
  std::fprintf(stderr, "bench_anomaly_cost: %s\n", e.what());
  return 1;
}
