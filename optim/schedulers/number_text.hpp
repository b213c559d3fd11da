#pragma once
// Numbers in the error messages of the schedules: "0.1", "1e-08", "inf",
// where std::to_string would print "0.000000" for a small learning rate.

#include <cstdio>
#include <string>

namespace xg::optim::detail {

inline std::string number_text(double value) {
  char buffer[32];
  std::snprintf(buffer, sizeof buffer, "%g", value);
  return buffer;
}

}  // namespace xg::optim::detail
