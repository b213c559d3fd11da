#pragma once
// Anomaly detection, like torch.autograd.detect_anomaly: inside a
// `xg::autograd::detect_anomaly guard;` scope, an op whose forward value or
// backward gradient holds NaN or Inf throws xg::AnomalyError at once, naming
// the op, its input shapes, the phase and where the op was created, instead
// of letting the NaN spread into the weights.
//
// Where: every op recorded in anomaly mode remembers the labels open around
// it (`xg::autograd::anomaly_label scope("encoder");`, nested scopes joined
// by '/') and the file and line where the innermost label was opened. A
// call site per op would need a std::source_location parameter on every op,
// which the operators (+, *, ...) cannot take; a label costs one line in the
// model and names the place a user recognises.
//
// Both scopes are per thread and nest. Off, they cost one thread-local load
// per op and per backward step.

#include <source_location>
#include <span>
#include <stdexcept>
#include <string>

#include <xgrad/core/array.hpp>
#include <xgrad/core/node.hpp>

namespace xg {

class AnomalyError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

namespace detail {
inline thread_local bool anomaly_enabled = false;
}

namespace autograd {

inline bool is_anomaly_enabled() { return xg::detail::anomaly_enabled; }

// Turns anomaly detection on (or, with `false`, off) for its scope.
class detect_anomaly {
 public:
  explicit detect_anomaly(bool enabled = true) : previous_(xg::detail::anomaly_enabled) {
    xg::detail::anomaly_enabled = enabled;
  }
  ~detect_anomaly() { xg::detail::anomaly_enabled = previous_; }
  detect_anomaly(const detect_anomaly&) = delete;
  detect_anomaly& operator=(const detect_anomaly&) = delete;

 private:
  bool previous_;
};

// Names the ops recorded in its scope, for anomaly reports. Opening one
// costs a push on a per-thread stack, whether detection is on or not, so
// that a label opened before the guard still names the ops inside it.
class anomaly_label {
 public:
  explicit anomaly_label(std::string label, std::source_location where = std::source_location::current());
  ~anomaly_label();
  anomaly_label(const anomaly_label&) = delete;
  anomaly_label& operator=(const anomaly_label&) = delete;
};

// "label 'encoder/layer2' (opened at model.cpp:42)", or "no anomaly_label
// scope" when none is open: recorded with each op in anomaly mode.
std::string anomaly_origin();

// The checks behind the two hooks, for record() and the engine: each throws
// AnomalyError when the op's value, or a gradient its backward produced,
// holds NaN or Inf.
template <class Scalar>
void check_forward_anomaly(const char* op, const Array<Scalar>& value, std::span<const Node<Scalar>* const> inputs);
template <class Scalar>
void check_backward_anomaly(const Node<Scalar>& node);

}  // namespace autograd
}  // namespace xg
