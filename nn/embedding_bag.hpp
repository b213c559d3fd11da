#pragma once
// Sums or means of embedding rows over bags of indices, with a row-sparse
// weight gradient: torch.nn.EmbeddingBag(sparse=True). A batch of bags is a
// CSR matrix: row i is bag i, column j an embedding index, and the value its
// per-sample weight (a word's count in a bag of words).

#include <cstddef>

#include <xgrad/core/csr_matrix.hpp>
#include <xgrad/core/generator.hpp>
#include <xgrad/nn/module.hpp>

namespace xg::nn {

enum class EmbeddingBagMode {
  sum,   // Σ value·weight[index]
  mean,  // that sum over the bag's number of entries: PyTorch's mean when every value is 1
};

struct EmbeddingBagOptions {
  EmbeddingBagMode mode = EmbeddingBagMode::mean;  // PyTorch's default
};

class EmbeddingBag : public Module {
 public:
  // The weight is drawn from N(0, 1), as torch.nn.EmbeddingBag does.
  EmbeddingBag(std::size_t num_embeddings, std::size_t embedding_dim, EmbeddingBagOptions options = {},
               Generator& generator = default_generator());

  // (bags, embedding_dim); an empty bag gives zeros. Needs bags.cols ==
  // num_embeddings. PyTorch refuses per-sample weights with mode mean; here
  // they weight the sum before it is divided by the number of entries.
  Tensor forward(const CsrMatrix<float>& bags);
  Tensor operator()(const CsrMatrix<float>& bags) { return forward(bags); }
  // The same for bags given densely, (bags, num_embeddings) with the weights
  // as values and zeros for absent entries: a matmul whose weight gradient
  // is dense.
  Tensor forward(const Tensor& bags) override;
  using Module::operator();

  std::size_t num_embeddings() const { return weight.shape()[0]; }
  std::size_t embedding_dim() const { return weight.shape()[1]; }
  EmbeddingBagMode mode() const { return options_.mode; }

  Tensor weight;  // (num_embeddings, embedding_dim)

 protected:
  NamedTensors<float> local_parameters() const override { return {{"weight", weight}}; }

 private:
  EmbeddingBagOptions options_;
};

}  // namespace xg::nn
