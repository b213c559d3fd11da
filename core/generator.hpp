#pragma once
// Seeded random numbers. The engine is std::mt19937_64, whose output the C++
// standard fixes exactly; the conversions to uniform and normal values are
// written here (not std:: distributions, which differ between libraries), so a
// seed gives the same numbers with every compiler.

#include <cstdint>
#include <iosfwd>
#include <random>
#include <string>

namespace xg {

class Generator {
 public:
  explicit Generator(std::uint64_t seed = 5489u) : engine_(seed), seed_(seed) {}

  void manual_seed(std::uint64_t seed) {
    engine_.seed(seed);
    seed_ = seed;
  }
  std::uint64_t initial_seed() const { return seed_; }

  std::uint64_t next_u64() { return engine_(); }
  // Uniform in [0, 1) with 53 random bits.
  double uniform() { return static_cast<double>(engine_() >> 11) * 0x1.0p-53; }
  double uniform(double low, double high) { return low + (high - low) * uniform(); }
  // Standard normal by the Box-Muller transform (one value per call, so the
  // generator's whole state is the engine's).
  double normal();
  // Uniform integer in [0, n).
  std::uint64_t randint(std::uint64_t n);

  // The full state as text, to save in checkpoints and restore bit-exactly.
  // set_state refuses text that is not a state, and the all-zero state the
  // engine cannot leave (std::invalid_argument), leaving the generator as it was.
  std::string state() const;
  void set_state(const std::string& state);

 private:
  std::mt19937_64 engine_;
  std::uint64_t seed_;
};

// The generator used when none is passed: one per thread. A thread's starts,
// when the thread first uses it, from the seed last given to manual_seed (0
// before any), so every thread draws the same sequence on every run.
Generator& default_generator();
// Seeds the calling thread's default generator, as torch.manual_seed does,
// and the default generators of threads that have not used theirs yet.
void manual_seed(std::uint64_t seed);

}  // namespace xg
