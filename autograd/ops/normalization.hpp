#pragma once
// Embedding lookups and normalization (ops/embedding.cpp, ops/normalization.cpp).

#include <cstddef>
#include <optional>
#include <span>

#include <xgrad/core/tensor.hpp>

namespace xg {

// weight[indices]: (indices..., embedding_dim), as torch.nn.functional.embedding
// with sparse=True. The weight's gradient is row-sparse, over the distinct
// indices; padding_idx (negative counts from the end) gets none.
template <class S>
BasicTensor<S> embedding(std::span<const std::size_t> indices, const BasicTensor<S>& weight,
                         std::optional<long> padding_idx = std::nullopt);
template <class S>
BasicTensor<S> embedding(const Array<std::size_t>& indices, const BasicTensor<S>& weight,
                         std::optional<long> padding_idx = std::nullopt);
// Normalizes x over its last normalized_shape.size() dimensions, which must
// equal normalized_shape: (x - mean) / sqrt(biased variance + eps), then
// times weight plus bias (each of normalized_shape, or undefined for none).
template <class S>
BasicTensor<S> layer_norm(const BasicTensor<S>& x, const Shape& normalized_shape, const BasicTensor<S>& weight = {},
                          const BasicTensor<S>& bias = {}, double eps = 1e-5);
// x of shape (N, C, ...) normalized per channel C. Training: over the batch
// and the trailing dimensions, with the biased variance; running_mean and
// running_var (C each, when defined) become (1 - momentum)·running +
// momentum·batch, the variance unbiased as in torch. Otherwise the running
// statistics normalize. weight and bias: (C), or undefined for none.
template <class S>
BasicTensor<S> batch_norm(const BasicTensor<S>& x, const BasicTensor<S>& running_mean,
                          const BasicTensor<S>& running_var, const BasicTensor<S>& weight = {},
                          const BasicTensor<S>& bias = {}, bool training = false, double momentum = 0.1,
                          double eps = 1e-5);

}  // namespace xg
