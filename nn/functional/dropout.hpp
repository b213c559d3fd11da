#pragma once
// Inverted dropout: in training, each element is zeroed with probability p and
// the survivors are scaled by 1 / (1 - p), so evaluation needs no rescaling.

#include <xgrad/core/generator.hpp>
#include <xgrad/core/tensor.hpp>

namespace xg::nn::functional {

// Returns `input` itself when not training or when p = 0. p must be in [0, 1].
template <class S>
BasicTensor<S> dropout(const BasicTensor<S>& input, double p = 0.5, bool training = true,
                       Generator& generator = default_generator());

}  // namespace xg::nn::functional
