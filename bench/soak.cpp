// Memory soak: trains the digits MLP (64-64-10 tanh, batch 32, Adagrad) for
// --steps steps or --seconds seconds, whichever comes first, and checks that
// nothing accumulates. After every step the live graph-node count must be
// back at its value after the first step; every --every steps the node
// count and the resident set size (/proc/self/statm) are written to --csv.
// Prints the first sample after warm-up (the first tenth of the run, at
// least --every steps) against the last, and the largest growth over the
// first in %. With --max-growth PERCENT it exits 1 when that is exceeded.
//
//   bench_soak [--steps 1000000] [--seconds 120] [--every 1000] [--csv soak.csv] [--max-growth 1]

#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <stdexcept>
#include <string>
#include <vector>

#include <xgrad/xgrad.hpp>

namespace {

struct Settings {
  long steps = 1'000'000;
  double seconds = 120;
  long every = 1000;
  std::string csv = "soak.csv";
  double max_growth = -1;  // percent; negative: report only
};

Settings parse(int argc, char** argv) {
  Settings s;
  for (int i = 1; i < argc; i += 2) {
    const std::string flag = argv[i];
    if (i + 1 >= argc) throw std::invalid_argument("soak: " + flag + " needs a value");
    const std::string value = argv[i + 1];
    if (flag == "--steps")
      s.steps = std::stol(value);
    else if (flag == "--seconds")
      s.seconds = std::stod(value);
    else if (flag == "--every")
      s.every = std::stol(value);
    else if (flag == "--csv")
      s.csv = value;
    else if (flag == "--max-growth")
      s.max_growth = std::stod(value);
    else
      throw std::invalid_argument("soak: unknown flag " + flag +
                                  " (known: --steps, --seconds, --every, --csv, --max-growth)");
  }
  if (s.steps < 1 || s.every < 1 || !(s.seconds > 0))
    throw std::invalid_argument("soak: --steps, --every and --seconds must be positive");
  return s;
}

long resident_kib() {
  std::ifstream statm("/proc/self/statm");
  long total_pages = 0, resident_pages = 0;
  statm >> total_pages >> resident_pages;
  return resident_pages * (sysconf(_SC_PAGESIZE) / 1024);
}

struct Sample {
  long step;
  double seconds;
  long live_nodes;
  long resident_kib;
};

double growth_percent(long value, long base) {
  return 100.0 * static_cast<double>(value - base) / static_cast<double>(base);
}

}  // namespace

int main(int argc, char** argv) try {
  using namespace xg;
  const Settings settings = parse(argc, argv);
  manual_seed(0);
  auto digits = datasets::load_digits();
  digits.features /= 16.0f;
  nn::Sequential model{nn::Linear(64, 64), nn::Tanh(), nn::Linear(64, 10)};
  optim::Adagrad<float> optimizer(model.named_parameters(), {.lr = 0.1});
  datasets::DataLoader loader(digits, {.batch_size = 32});

  // Set after the first step: the loader's current batch is a node too.
  long baseline_nodes = -1;
  std::vector<Sample> samples;
  const auto start = std::chrono::steady_clock::now();
  auto elapsed = [&] { return std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count(); };
  long step = 0;
  bool out_of_time = false;
  while (step < settings.steps && !out_of_time) {
    for (const auto& [x, y] : loader) {
      optimizer.zero_grad();
      nn::functional::cross_entropy(model(x), y).backward();
      optimizer.step();
      ++step;
      if (step == 1) baseline_nodes = autograd::live_nodes();
      if (autograd::live_nodes() != baseline_nodes) {
        std::fprintf(stderr, "soak: after step %ld, %ld graph nodes are alive instead of %ld\n", step,
                     autograd::live_nodes(), baseline_nodes);
        return 1;
      }
      if (step % settings.every == 0) {
        samples.push_back({step, elapsed(), autograd::live_nodes(), resident_kib()});
        out_of_time = samples.back().seconds >= settings.seconds;
      }
      if (step >= settings.steps || out_of_time) break;
    }
  }

  std::ofstream csv(settings.csv);
  csv << "step,seconds,live_nodes,resident_kib\n";
  for (const Sample& s : samples)
    csv << s.step << ',' << s.seconds << ',' << s.live_nodes << ',' << s.resident_kib << '\n';

  const long warm_up = std::max(settings.every, step / 10);
  const auto first = std::find_if(samples.begin(), samples.end(), [&](const Sample& s) { return s.step >= warm_up; });
  if (first == samples.end() || first + 1 == samples.end()) {
    std::fprintf(stderr, "soak: too few samples after warm-up (%zu in all); run longer or sample more often\n",
                 samples.size());
    return 1;
  }
  double max_growth = 0;
  long max_nodes = first->live_nodes;
  for (auto it = first; it != samples.end(); ++it) {
    max_growth = std::max(max_growth, growth_percent(it->resident_kib, first->resident_kib));
    max_nodes = std::max(max_nodes, it->live_nodes);
  }
  const Sample& last = samples.back();
  std::printf("soak: %ld steps in %.1f s (%.1f us/step), %zu samples in %s\n", step, last.seconds,
              1e6 * last.seconds / static_cast<double>(last.step), samples.size(), settings.csv.c_str());
  std::printf("soak: live nodes %ld at step %ld (after warm-up), %ld at step %ld, max %ld; baseline %ld\n",
              first->live_nodes, first->step, last.live_nodes, last.step, max_nodes, baseline_nodes);
  std::printf("soak: resident %ld KiB at step %ld, %ld KiB at step %ld (%+.2f %%), max growth %.2f %%\n",
              first->resident_kib, first->step, last.resident_kib, last.step,
              growth_percent(last.resident_kib, first->resident_kib), max_growth);
  if (settings.max_growth >= 0 && max_growth > settings.max_growth) {
    std::fprintf(stderr, "soak: resident memory grew %.2f %% after warm-up, more than the allowed %.2f %%\n",
                 max_growth, settings.max_growth);
    return 1;
  }
  return 0;
} catch (const std::exception& e) {
  std::fprintf(stderr, "%s\n", e.what());
  return 1;
}
