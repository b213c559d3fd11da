#pragma once
// Checks an op's backward against central finite differences, in float64:
// the full Jacobian of fn at `inputs`, one backward per output element with a
// one-hot gradient against two evaluations per input element.
//
//   auto r = xg::autograd::gradcheck([](const auto& in) { return xg::tanh(in[0]); }, {x});
//   CHECK_MESSAGE(r, r.message);

#include <cstddef>
#include <functional>
#include <string>
#include <vector>

#include <xgrad/core/tensor.hpp>

namespace xg::autograd {

struct GradcheckOptions {
  double eps = 1e-6;   // finite-difference step
  double atol = 1e-5;  // an element passes when |analytic - numeric| <= atol + rtol * |numeric|
  double rtol = 1e-3;
};

struct GradcheckResult {
  bool passed = true;
  std::string message;    // on failure: which input, which index, analytic vs numeric
  std::size_t input = 0;  // worst element
  std::size_t index = 0;  // flat index into that input
  double analytic = 0, numeric = 0;
  explicit operator bool() const { return passed; }
};

// Inputs that don't require grad are held fixed and not checked; inputs that
// do must be leaves. The inputs' values and gradients are as before on return.
GradcheckResult gradcheck(const std::function<Tensor64(const std::vector<Tensor64>&)>& fn,
                          const std::vector<Tensor64>& inputs, GradcheckOptions options = {});

}  // namespace xg::autograd
