#include <xgrad/nn/embedding_bag.hpp>

#include <stdexcept>
#include <string>

#include <xgrad/autograd/ops.hpp>
#include <xgrad/core/error.hpp>
#include <xgrad/core/factories.hpp>
#include <xgrad/nn/init.hpp>

namespace xg::nn {

template <class S>
BasicEmbeddingBag<S>::BasicEmbeddingBag(std::size_t num_embeddings, std::size_t embedding_dim,
                                        EmbeddingBagOptions options, Generator& generator)
    : options_(options) {
  if (num_embeddings == 0 || embedding_dim == 0)
    throw std::invalid_argument("EmbeddingBag: num_embeddings and embedding_dim must be positive, got " +
                                std::to_string(num_embeddings) + " and " + std::to_string(embedding_dim));
  checked_numel("EmbeddingBag", Shape{num_embeddings, embedding_dim});
  weight = zeros<S>({num_embeddings, embedding_dim}, true);
  init::normal_(weight, 0.0, 1.0, generator);
}

template <class S>
BasicTensor<S> BasicEmbeddingBag<S>::forward(const CsrMatrix<S>& bags) {
  if (options_.mode == EmbeddingBagMode::sum) return sparse_matmul(bags, weight);
  bags.validate("EmbeddingBag");
  CsrMatrix<S> scaled = bags;
  for (std::size_t i = 0; i < bags.rows; ++i) {
    const std::size_t begin = bags.row_ptr[i], end = bags.row_ptr[i + 1];
    for (std::size_t k = begin; k < end; ++k) scaled.val[k] /= static_cast<S>(end - begin);
  }
  return sparse_matmul(scaled, weight);
}

template <class S>
BasicTensor<S> BasicEmbeddingBag<S>::forward(const BasicTensor<S>& bags) {
  if (bags.dim() != 2 || bags.shape()[1] != num_embeddings())
    throw_shape_error("EmbeddingBag", "expects dense bags of shape (bags, " + std::to_string(num_embeddings()) +
                                          "), got " + shape_to_string(bags.shape()));
  BasicTensor<S> summed = matmul(bags, weight);
  if (options_.mode == EmbeddingBagMode::sum) return summed;
  // The number of entries is constant where the gradient is defined.
  const std::size_t n = bags.shape()[0], v = bags.shape()[1];
  auto inverse_count = Array<S>::from_shape({n, 1});
  const S* x = bags.value().data();
  for (std::size_t i = 0; i < n; ++i) {
    std::size_t entries = 0;
    for (std::size_t j = 0; j < v; ++j) entries += x[i * v + j] != S(0);
    inverse_count(i, 0) = entries ? S(1) / static_cast<S>(entries) : S(0);
  }
  return summed * BasicTensor<S>(std::move(inverse_count));
}

template class BasicEmbeddingBag<float>;
template class BasicEmbeddingBag<double>;

}  // namespace xg::nn
