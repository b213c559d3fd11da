#pragma once
// How every implementation is driven: `step(s)` trains on the workload's
// batch for step s and returns that step's loss. The warm-up steps run
// untimed, then the timed ones; the result is the last step's loss and the
// mean time per timed step.

#include <chrono>
#include <cstddef>

#include "workload.hpp"

namespace bench {

struct TrainingResult {
  double final_loss = 0.0;
  double seconds_per_step = 0.0;
};

template <class Step>
TrainingResult run_training(const Workload& w, Step&& step) {
  double loss = 0.0;
  for (std::size_t s = 0; s < w.warmup_steps; ++s) loss = step(s);
  const auto start = std::chrono::steady_clock::now();
  for (std::size_t s = w.warmup_steps; s < w.warmup_steps + w.timed_steps; ++s) loss = step(s);
  const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  return {loss, seconds / static_cast<double>(w.timed_steps)};
}

}  // namespace bench
