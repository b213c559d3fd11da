// The distributed tests' main: one MPI Environment around doctest's run, on
// every rank. Run under mpirun (ctest does, label `distributed`).
#define DOCTEST_CONFIG_IMPLEMENT
#include <doctest/doctest.h>

#include <xgrad/distributed/environment.hpp>

int main(int argc, char** argv) {
  xg::distributed::Environment env(argc, argv);
  doctest::Context context(argc, argv);
  const int failed = context.run();
  // A rank whose checks failed ends the job with its status; one that passed
  // finalises normally.
  if (failed != 0) env.abort("distributed tests failed on this rank", failed);
  return 0;
}
