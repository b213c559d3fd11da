#pragma once

namespace xg::autograd {

// Graph nodes alive right now (values, gradients and recorded ops of both
// scalar types). A training loop that releases its graphs keeps this flat.
long live_nodes();

}  // namespace xg::autograd
