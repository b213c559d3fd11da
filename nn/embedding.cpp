#include <xgrad/nn/embedding.hpp>

#include <cmath>
#include <stdexcept>
#include <string>

#include <xtensor/xview.hpp>

#include <xgrad/autograd/ops.hpp>
#include <xgrad/core/error.hpp>
#include <xgrad/core/factories.hpp>
#include <xgrad/nn/init.hpp>

namespace xg::nn {

template <class S>
BasicEmbedding<S>::BasicEmbedding(std::size_t num_embeddings, std::size_t embedding_dim, EmbeddingOptions options,
                                  Generator& generator)
    : options_(options) {
  if (num_embeddings == 0 || embedding_dim == 0)
    throw std::invalid_argument("Embedding: num_embeddings and embedding_dim must be positive, got " +
                                std::to_string(num_embeddings) + " and " + std::to_string(embedding_dim));
  checked_numel("Embedding", Shape{num_embeddings, embedding_dim});
  const long n = static_cast<long>(num_embeddings);
  if (options.padding_idx && (*options.padding_idx >= n || *options.padding_idx < -n))
    throw std::invalid_argument("Embedding: padding_idx " + std::to_string(*options.padding_idx) +
                                " is out of range for num_embeddings " + std::to_string(num_embeddings));
  weight = zeros<S>({num_embeddings, embedding_dim}, true);
  init::normal_(weight, 0.0, 1.0, generator);
  if (options.padding_idx) {
    const long row = *options.padding_idx < 0 ? *options.padding_idx + n : *options.padding_idx;
    xt::view(weight.value(), row, xt::all()) = S(0);
  }
}

template <class S>
BasicTensor<S> BasicEmbedding<S>::forward(std::span<const std::size_t> indices) {
  return embedding(indices, weight, options_.padding_idx);
}

template <class S>
BasicTensor<S> BasicEmbedding<S>::forward(const Array<std::size_t>& indices) {
  return embedding(indices, weight, options_.padding_idx);
}

template <class S>
BasicTensor<S> BasicEmbedding<S>::forward(const BasicTensor<S>& indices) {
  if (!indices.defined()) throw std::invalid_argument("Embedding: the indices are an undefined tensor");
  auto as_indices = Array<std::size_t>::from_shape(indices.shape());
  const S* v = indices.value().data();
  for (std::size_t p = 0; p < as_indices.size(); ++p) {
    if (!(v[p] >= 0) || v[p] != std::floor(v[p]))
      throw std::invalid_argument("Embedding: the index tensor holds " + std::to_string(v[p]) + " at flat index " +
                                  std::to_string(p) + ", not a non-negative whole number");
    as_indices.data()[p] = static_cast<std::size_t>(v[p]);
  }
  return forward(as_indices);
}

template class BasicEmbedding<float>;
template class BasicEmbedding<double>;

}  // namespace xg::nn
