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

template <class S>
class BasicEmbeddingBag : public Convertible<BasicEmbeddingBag, S> {
 public:
  // The weight is drawn from N(0, 1), as torch.nn.EmbeddingBag does.
  BasicEmbeddingBag(std::size_t num_embeddings, std::size_t embedding_dim, EmbeddingBagOptions options = {},
                    Generator& generator = default_generator());

  // (bags, embedding_dim); an empty bag gives zeros. Needs bags.cols ==
  // num_embeddings. PyTorch refuses per-sample weights with mode mean; here
  // they weight the sum before it is divided by the number of entries.
  BasicTensor<S> forward(const CsrMatrix<S>& bags);
  BasicTensor<S> operator()(const CsrMatrix<S>& bags) { return forward(bags); }
  // The same for bags given densely, (bags, num_embeddings) with the weights
  // as values and zeros for absent entries: a matmul whose weight gradient
  // is dense.
  BasicTensor<S> forward(const BasicTensor<S>& bags) override;
  using BasicModule<S>::operator();

  std::size_t num_embeddings() const { return weight.shape()[0]; }
  std::size_t embedding_dim() const { return weight.shape()[1]; }
  EmbeddingBagMode mode() const { return options_.mode; }

  template <class T>
  BasicEmbeddingBag<T> converted() const {
    BasicEmbeddingBag<T> out(typename BasicEmbeddingBag<T>::Unset{}, options_);
    out.weight = this->template converted_tensor<T>(weight);
    return out;
  }

  BasicTensor<S> weight;  // (num_embeddings, embedding_dim)

 protected:
  NamedTensors<S> local_parameters() const override { return {{"weight", weight}}; }

 private:
  template <class>
  friend class BasicEmbeddingBag;
  // The weight undefined: what converted() fills, without drawing from a
  // generator.
  struct Unset {};
  BasicEmbeddingBag(Unset, EmbeddingBagOptions options) : options_(options) {}
  EmbeddingBagOptions options_;
};

using EmbeddingBag = BasicEmbeddingBag<float>;

extern template class BasicEmbeddingBag<float>;
extern template class BasicEmbeddingBag<double>;

}  // namespace xg::nn
