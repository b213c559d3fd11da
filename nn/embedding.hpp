#pragma once
// A lookup table of embedding rows: torch.nn.Embedding(num, dim,
// padding_idx=..., sparse=True). The weight's gradient is row-sparse, over
// the indices of the batch, so the sparse paths of the optimizers apply
// (Adagrad's exact row update, for one).

#include <cstddef>
#include <optional>
#include <span>

#include <xgrad/core/generator.hpp>
#include <xgrad/nn/module.hpp>

namespace xg::nn {

struct EmbeddingOptions {
  // A row that gets no gradient and starts at zero (a padding token);
  // negative counts from the end, as in torch.
  std::optional<long> padding_idx{};
};

template <class S>
class BasicEmbedding : public Convertible<BasicEmbedding, S> {
 public:
  // The weight is drawn from N(0, 1) and its padding row zeroed, as
  // torch.nn.Embedding does.
  BasicEmbedding(std::size_t num_embeddings, std::size_t embedding_dim, EmbeddingOptions options = {},
                 Generator& generator = default_generator());

  // (indices..., embedding_dim); every index < num_embeddings.
  BasicTensor<S> forward(std::span<const std::size_t> indices);
  BasicTensor<S> forward(const Array<std::size_t>& indices);
  // Indices held as the values of a tensor (whole numbers, as a Sequential
  // passes them); they get no gradient.
  BasicTensor<S> forward(const BasicTensor<S>& indices) override;
  BasicTensor<S> operator()(std::span<const std::size_t> indices) { return forward(indices); }
  BasicTensor<S> operator()(const Array<std::size_t>& indices) { return forward(indices); }
  using BasicModule<S>::operator();

  std::size_t num_embeddings() const { return weight.shape()[0]; }
  std::size_t embedding_dim() const { return weight.shape()[1]; }
  const EmbeddingOptions& options() const { return options_; }

  template <class T>
  BasicEmbedding<T> converted() const {
    return BasicEmbedding<T>(options_, this->template converted_tensor<T>(weight));
  }

  BasicTensor<S> weight;  // (num_embeddings, embedding_dim)

 protected:
  NamedTensors<S> local_parameters() const override { return {{"weight", weight}}; }

 private:
  template <class>
  friend class BasicEmbedding;
  BasicEmbedding(EmbeddingOptions options, BasicTensor<S> weight) : weight(std::move(weight)), options_(options) {}
  EmbeddingOptions options_;
};

using Embedding = BasicEmbedding<float>;

}  // namespace xg::nn
