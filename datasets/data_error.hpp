#pragma once
// The exception for data files that cannot be found, read or parsed.

#include <cstddef>
#include <stdexcept>
#include <string>

namespace xg::datasets {

// Parse errors read "<file>:<line>: <what>" or "<file>:<line>:<column>:
// <what>", the way compilers report, so an editor can jump to the place.
class DataError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
  DataError(const std::string& file, std::size_t line, const std::string& what)
      : std::runtime_error(file + ":" + std::to_string(line) + ": " + what) {}
  DataError(const std::string& file, std::size_t line, std::size_t column, const std::string& what)
      : std::runtime_error(file + ":" + std::to_string(line) + ":" + std::to_string(column) + ": " + what) {}
};

}  // namespace xg::datasets
