// xg::version() reports the project version CMake was configured with.

#include <cstring>
#include <regex>
#include <string>

#include <doctest/doctest.h>

#include <xgrad/xgrad.hpp>

TEST_CASE("version: the compiled library reports CMake's project version as MAJOR.MINOR.PATCH") {
  const std::string v = xg::version();
  CHECK(std::regex_match(v, std::regex(R"(\d+\.\d+\.\d+)")));
  CHECK(v == XGRAD_PROJECT_VERSION);
}
