#include <xgrad/core/generator.hpp>

#include <atomic>
#include <cmath>
#include <numbers>
#include <sstream>
#include <stdexcept>

namespace xg {

double Generator::normal() {
  const double u1 = 1.0 - uniform();  // in (0, 1]: log stays finite
  const double u2 = uniform();
  return std::sqrt(-2.0 * std::log(u1)) * std::cos(2.0 * std::numbers::pi * u2);
}

std::uint64_t Generator::randint(std::uint64_t n) {
  if (n == 0) throw std::invalid_argument("Generator::randint: the range is empty (n = 0)");
  // Rejection sampling removes the modulo bias.
  const std::uint64_t limit = UINT64_MAX - UINT64_MAX % n;
  std::uint64_t x;
  do x = engine_();
  while (x >= limit);
  return x % n;
}

std::string Generator::state() const {
  std::ostringstream out;
  out << seed_ << ' ' << engine_;
  return out.str();
}

void Generator::set_state(const std::string& state) {
  std::istringstream in(state);
  std::uint64_t seed;
  std::mt19937_64 engine;
  if (!(in >> seed >> engine)) throw std::invalid_argument("Generator::set_state: malformed generator state");
  // The words of the recurrence, read again: the engine does not show them.
  // Its next block uses the top w - r = 33 bits of the first word and all of
  // the others; when those are all zero every later output is 0, the state
  // the standard's seeding avoids ([rand.eng.mers]: it sets X_-n to 2^(w-1)).
  std::istringstream words(state);
  std::uint64_t word = 0, seen = 0;
  words >> word;  // the seed
  for (std::size_t i = 0; i < std::mt19937_64::state_size && words >> word; ++i)
    seen |= i == 0 ? word >> std::mt19937_64::mask_bits : word;
  if (seen == 0)
    throw std::invalid_argument(
        "Generator::set_state: the engine's state words are all zero (but for the 31 "
        "bits the recurrence ignores), a state it never leaves: every draw would be 0");
  seed_ = seed;
  engine_ = engine;
}

namespace {
// The seed a thread's default generator starts from when the thread first
// uses it: 0 until manual_seed changes it.
std::atomic<std::uint64_t> seed_for_new_threads{0};
}  // namespace

// One generator per thread, so that threads building and training their own
// models draw from their own stream without a lock, and each gets the same
// numbers on every run whatever the scheduling (a shared generator behind a
// lock would be race-free but hand out its numbers in scheduling order).
Generator& default_generator() {
  thread_local Generator generator(seed_for_new_threads.load());
  return generator;
}

void manual_seed(std::uint64_t seed) {
  seed_for_new_threads.store(seed);
  default_generator().manual_seed(seed);
}

}  // namespace xg
