#pragma once
// The exceptions xgrad throws. Every message names the operation first.

#include <stdexcept>
#include <string>

namespace xg {

// Operands whose shapes do not fit the operation, e.g.
// "matmul: cannot multiply (3, 4) by (5, 2)".
class ShapeError : public std::invalid_argument {
 public:
  using std::invalid_argument::invalid_argument;
};

// Misuse of the autograd graph: backward without a gradient, through a freed
// graph, or on a tensor that does not require a gradient.
class GraphError : public std::logic_error {
 public:
  using std::logic_error::logic_error;
};

[[noreturn]] inline void throw_shape_error(const std::string& op, const std::string& what) {
  throw ShapeError(op + ": " + what);
}

[[noreturn]] inline void throw_invalid_argument(const std::string& op, const std::string& what) {
  throw std::invalid_argument(op + ": " + what);
}

}  // namespace xg
