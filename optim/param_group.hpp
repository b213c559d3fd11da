#pragma once
// Parameters that share one set of options (an entry of PyTorch's
// optimizer.param_groups).

#include <string>
#include <vector>

#include <xgrad/core/tensor.hpp>

namespace xg::optim {

template <class Scalar, class Options>
struct ParamGroup {
  std::vector<BasicTensor<Scalar>> params;
  // Parallel to `params` when the optimizer was built from named parameters,
  // empty otherwise; state is saved and loaded under these names.
  std::vector<std::string> param_names;
  Options options;
};

}  // namespace xg::optim
