#include <xgrad/nn/embedding_bag.hpp>

#include <stdexcept>
#include <string>

#include <xgrad/autograd/ops.hpp>
#include <xgrad/core/error.hpp>
#include <xgrad/core/factories.hpp>
#include <xgrad/nn/init.hpp>

namespace xg::nn {

EmbeddingBag::EmbeddingBag(std::size_t num_embeddings, std::size_t embedding_dim, EmbeddingBagOptions options,
                           Generator& generator)
    : options_(options) {
  if (num_embeddings == 0 || embedding_dim == 0)
    throw std::invalid_argument("EmbeddingBag: num_embeddings and embedding_dim must be positive, got " +
                                std::to_string(num_embeddings) + " and " + std::to_string(embedding_dim));
  checked_numel("EmbeddingBag", Shape{num_embeddings, embedding_dim});
  weight = zeros<float>({num_embeddings, embedding_dim}, true);
  init::normal_(weight, 0.0, 1.0, generator);
}

Tensor EmbeddingBag::forward(const CsrMatrix<float>& bags) {
  if (options_.mode == EmbeddingBagMode::sum) return sparse_matmul(bags, weight);
  bags.validate("EmbeddingBag");
  CsrMatrix<float> scaled = bags;
  for (std::size_t i = 0; i < bags.rows; ++i) {
    const std::size_t begin = bags.row_ptr[i], end = bags.row_ptr[i + 1];
    for (std::size_t k = begin; k < end; ++k) scaled.val[k] /= static_cast<float>(end - begin);
  }
  return sparse_matmul(scaled, weight);
}

Tensor EmbeddingBag::forward(const Tensor& bags) {
  if (bags.dim() != 2 || bags.shape()[1] != num_embeddings())
    throw_shape_error("EmbeddingBag", "expects dense bags of shape (bags, " + std::to_string(num_embeddings()) +
                                          "), got " + shape_to_string(bags.shape()));
  Tensor summed = matmul(bags, weight);
  if (options_.mode == EmbeddingBagMode::sum) return summed;
  // The number of entries is constant where the gradient is defined.
  const std::size_t n = bags.shape()[0], v = bags.shape()[1];
  auto inverse_count = Array<float>::from_shape({n, 1});
  const float* x = bags.value().data();
  for (std::size_t i = 0; i < n; ++i) {
    std::size_t entries = 0;
    for (std::size_t j = 0; j < v; ++j) entries += x[i * v + j] != 0.0f;
    inverse_count(i, 0) = entries ? 1.0f / static_cast<float>(entries) : 0.0f;
  }
  return summed * Tensor(std::move(inverse_count));
}

}  // namespace xg::nn
