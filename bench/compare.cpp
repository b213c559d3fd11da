// Side-by-side benchmark of xgrad, a hand-written loop and LibTorch on the
// workloads W1-W4 (bench/workload.cpp), with the GEMM-only floor for W4.
//
//   bench_compare [--threads N] [--repetitions N] [--only W2] [--markdown FILE]
//   bench_compare --memory
//   bench_compare --allocations
//
// BLAS threads come from OPENBLAS_NUM_THREADS (bench/run sets it per run);
// --threads sets LibTorch's intra-op threads to match and labels the rows.
// Each repetition trains every implementation once, one after the other, so
// neighbours share the load of a busy machine: times are medians over the
// repetitions, and each ratio is the median of the per-repetition ratios.
// Exits with status 1 when the final training losses of the implementations
// differ by more than 1e-4 (relative), 2 on bad arguments.

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <functional>
#include <optional>
#include <stdexcept>
#include <string>
#include <tuple>
#include <utility>
#include <vector>

#include "allocation_count.hpp"
#include "implementations.hpp"
#include "memory_check.hpp"

namespace bench {

namespace {

using Trainer = std::function<TrainingResult(const Workload&)>;

constexpr double loss_tolerance = 1e-4;

// One row of the table: the implementations of one workload variant.
struct Variant {
  const Workload* workload;
  std::string name;
  Trainer handwritten, xgrad, libtorch, floor;
  // xgrad / hand-written, or xgrad / floor when there is a floor.
  double target;
};

struct Measured {
  std::vector<double> seconds;
  double final_loss = NAN;
};

double median(std::vector<double> v) {
  if (v.empty()) return NAN;
  std::sort(v.begin(), v.end());
  const std::size_t n = v.size();
  return n % 2 ? v[n / 2] : 0.5 * (v[n / 2 - 1] + v[n / 2]);
}

double median_ratio(const Measured& a, const Measured& b) {
  std::vector<double> ratios;
  for (std::size_t i = 0; i < a.seconds.size() && i < b.seconds.size(); ++i)
    ratios.push_back(a.seconds[i] / b.seconds[i]);
  return median(ratios);
}

void measure(const Trainer& train, const Workload& w, Measured& m) {
  if (!train) return;
  const TrainingResult r = train(w);
  m.seconds.push_back(r.seconds_per_step);
  if (!std::isnan(m.final_loss) && r.final_loss != m.final_loss)
    throw std::runtime_error(w.name + ": the same implementation ended with two different losses across repetitions");
  m.final_loss = r.final_loss;
}

std::string micros(const Measured& m) {
  if (m.seconds.empty()) return "-";
  char text[32];
  std::snprintf(text, sizeof text, "%.1f", median(m.seconds) * 1e6);
  return text;
}

std::string ratio_text(double r) {
  if (std::isnan(r)) return "-";
  char text[32];
  std::snprintf(text, sizeof text, "%.2f", r);
  return text;
}

struct Options {
  int threads = 1;
  int repetitions = 5;
  std::string only;
  std::string markdown;
  bool memory = false;
  bool allocations = false;
};

Options parse(int argc, char** argv) {
  Options o;
  for (int i = 1; i < argc; ++i) {
    const std::string flag = argv[i];
    auto value = [&]() -> std::string {
      if (i + 1 >= argc) throw std::invalid_argument(flag + " needs a value");
      return argv[++i];
    };
    if (flag == "--threads")
      o.threads = std::stoi(value());
    else if (flag == "--repetitions")
      o.repetitions = std::stoi(value());
    else if (flag == "--only")
      o.only = value();
    else if (flag == "--markdown")
      o.markdown = value();
    else if (flag == "--memory")
      o.memory = true;
    else if (flag == "--allocations")
      o.allocations = true;
    else
      throw std::invalid_argument("unknown flag " + flag);
  }
  if (o.threads < 1 || o.repetitions < 1) throw std::invalid_argument("--threads and --repetitions must be positive");
  return o;
}

#ifdef XGRAD_BENCH_LIBTORCH
const Trainer libtorch_dense = train_libtorch;
const Trainer libtorch_embedding_bag = train_libtorch_embedding_bag;
#else
const Trainer libtorch_dense = nullptr;
const Trainer libtorch_embedding_bag = nullptr;
#endif

int run(const Options& o) {
#ifdef XGRAD_BENCH_LIBTORCH
  set_libtorch_threads(o.threads);
#else
  std::printf("LibTorch: skipped (CMake did not find Torch)\n");
#endif
  const char* blas_threads = std::getenv("OPENBLAS_NUM_THREADS");
  std::printf("threads: %d (OPENBLAS_NUM_THREADS=%s), median of %d repetitions\n", o.threads,
              blas_threads ? blas_threads : "unset", o.repetitions);

  const std::pair<const char*, Workload (*)()> makers[] = {
      {"W1", iris_workload}, {"W2", digits_workload}, {"W3", sentiment_workload}, {"W4", scale_workload}};
  std::vector<Workload> workloads;
  for (const auto& [id, make] : makers)
    if (o.only.empty() || o.only == id) workloads.push_back(make());
  if (workloads.empty()) throw std::invalid_argument("--only takes W1, W2, W3 or W4, got " + o.only);
  std::vector<Variant> variants;
  for (const Workload& w : workloads) {
    if (w.name.starts_with("W1"))
      variants.push_back({&w, w.name, train_handwritten, train_xgrad, libtorch_dense, {}, 1.1});
    if (w.name.starts_with("W2"))
      variants.push_back({&w, w.name, train_handwritten, train_xgrad, libtorch_dense, {}, 1.1});
    if (w.name.starts_with("W3")) {
      variants.push_back({&w, w.name + " dense", train_handwritten, train_xgrad, libtorch_dense, {}, 1.3});
      variants.push_back(
          {&w, w.name + " sparse", train_handwritten_csr, train_xgrad_sparse, libtorch_embedding_bag, {}, 1.5});
    }
    if (w.name.starts_with("W4"))
      variants.push_back({&w, w.name, train_handwritten, train_xgrad, libtorch_dense, gemm_floor, 1.12});
  }

  std::string table =
      "| workload | threads | hand-written µs/step | xgrad µs/step | LibTorch µs/step | GEMM floor µs/step | "
      "xgrad / hand | xgrad / LibTorch | xgrad / floor | target | met | final loss (hand, xgrad, LibTorch) |\n"
      "| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |\n";
  bool agree = true;
  for (const Variant& v : variants) {
    Measured hand, xgrad, torch, floor;
    for (int r = 0; r < o.repetitions; ++r) {
      measure(v.handwritten, *v.workload, hand);
      measure(v.xgrad, *v.workload, xgrad);
      measure(v.libtorch, *v.workload, torch);
      measure(v.floor, *v.workload, floor);
    }
    for (const Measured* m : {&xgrad, &torch}) {
      if (m->seconds.empty()) continue;
      const double difference = std::abs(m->final_loss - hand.final_loss) / std::abs(hand.final_loss);
      if (!(difference <= loss_tolerance)) {
        agree = false;
        std::fprintf(stderr, "%s: final losses disagree: %s %.8g vs hand-written %.8g (relative %.2e > %.0e)\n",
                     v.name.c_str(), m == &xgrad ? "xgrad" : "LibTorch", m->final_loss, hand.final_loss, difference,
                     loss_tolerance);
      }
    }
    const double over_hand = median_ratio(xgrad, hand), over_torch = median_ratio(xgrad, torch),
                 over_floor = median_ratio(xgrad, floor);
    const double judged = v.floor ? over_floor : over_hand;
    const std::string met = std::isnan(judged) ? "-" : judged <= v.target ? "yes" : "no";
    char target[32], losses[128];
    std::snprintf(target, sizeof target, "<= %.2f x %s", v.target, v.floor ? "floor" : "hand");
    std::snprintf(losses, sizeof losses, "%.6f, %s, %s", hand.final_loss,
                  xgrad.seconds.empty() ? "-" : std::to_string(xgrad.final_loss).c_str(),
                  torch.seconds.empty() ? "-" : std::to_string(torch.final_loss).c_str());
    const std::string row = "| " + v.name + " | " + std::to_string(o.threads) + " | " + micros(hand) + " | " +
                            micros(xgrad) + " | " + (v.libtorch ? micros(torch) : "skipped") + " | " + micros(floor) +
                            " | " + ratio_text(over_hand) + " | " + ratio_text(over_torch) + " | " +
                            ratio_text(over_floor) + " | " + target + " | " + met + " | " + losses + " |\n";
    std::fputs(row.c_str(), stdout);
    std::fflush(stdout);
    table += row;
  }
  if (!o.markdown.empty()) std::ofstream(o.markdown) << table;
  return agree ? 0 : 1;
}

// Heap allocations per steady-state training step: the difference between a
// long and a short run over the difference in steps, so that what a run
// allocates once (model, optimizer state, first buffers) cancels.
double allocations_per_step(const Trainer& train, const Workload& w) {
  constexpr std::size_t short_run = 100, long_run = 400;
  Workload shorter = w, longer = w;
  shorter.timed_steps = short_run;
  longer.timed_steps = long_run;
  const std::size_t before_short = allocations_so_far();
  train(shorter);
  const std::size_t short_count = allocations_so_far() - before_short;
  const std::size_t before_long = allocations_so_far();
  train(longer);
  const std::size_t long_count = allocations_so_far() - before_long;
  return (static_cast<double>(long_count) - static_cast<double>(short_count)) / double{long_run - short_run};
}

int count_allocations() {
  std::printf("| workload | hand-written allocations / step | xgrad allocations / step |\n| --- | --- | --- |\n");
  const Workload iris = iris_workload(), digits = digits_workload(), sentiment = sentiment_workload();
  const std::tuple<const Workload*, std::string, Trainer, Trainer> rows[] = {
      {&iris, iris.name, train_handwritten, train_xgrad},
      {&digits, digits.name, train_handwritten, train_xgrad},
      {&sentiment, sentiment.name + " sparse", train_handwritten_csr, train_xgrad_sparse}};
  for (const auto& [w, name, hand, xgrad] : rows)
    std::printf("| %s | %.1f | %.1f |\n", name.c_str(), allocations_per_step(hand, *w),
                allocations_per_step(xgrad, *w));
  return 0;
}

}  // namespace

}  // namespace bench

int main(int argc, char** argv) {
  bench::Options options;
  try {
    options = bench::parse(argc, argv);
  } catch (const std::exception& e) {
    std::fprintf(stderr, "bench_compare: %s\n", e.what());
    return 2;
  }
  try {
    if (options.allocations) return bench::count_allocations();
    return options.memory ? bench::check_memory() : bench::run(options);
  } catch (const std::exception& e) {
    std::fprintf(stderr, "bench_compare: %s\n", e.what());
    return 1;
  }
}
