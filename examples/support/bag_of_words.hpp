#pragma once
// What sentiment_bow needs besides its training loop: a linear model on
// sparse word counts, a fresh model of either kind on a vocabulary learnt
// from the training texts, the words a model leans on most, and the split of
// the sentences by where they come from.

#include <cstddef>
#include <span>
#include <string>

#include <xgrad/xgrad.hpp>

#include "evaluate.hpp"

namespace xg::examples {

// nn::Linear for CSR rows: logits = x·W + b with W (in, out) the weight of
// an EmbeddingBag (sum), so a step's gradient holds only the rows of the
// words in its batch. W and b are drawn as nn::Linear draws its own, as many
// numbers from the default generator, so that a run on either kind of rows
// then shuffles its batches alike.
class SparseLinear : public nn::Module {
 public:
  SparseLinear(std::size_t in, std::size_t out);
  Tensor forward(const CsrMatrix<float>& x) { return bag(x) + bias; }
  Tensor forward(const Tensor& x) override { return bag(x) + bias; }
  Tensor operator()(const CsrMatrix<float>& x) { return forward(x); }
  using Module::operator();

  nn::EmbeddingBag bag;
  Tensor bias;

 protected:
  NamedTensors<float> local_parameters() const override { return {{"weight", bag.weight}, {"bias", bias}}; }
};

// Classification accuracy of `model` on all rows of `features`; evaluate.hpp's
// for dense rows comes with this header.
double evaluate_accuracy(SparseLinear& model, const CsrMatrix<float>& features, std::span<const std::size_t> labels);

// A trained model's vocabulary and each word's weight for each class,
// (words, classes).
struct WordWeights {
  datasets::Vocabulary vocabulary;
  Array<float> weights;
};

using TextSplit = datasets::TrainTestSplit<datasets::TextDataset>;

// Learns the vocabulary of data.train's texts and trains a fresh two-class
// model of its words through `train_model(model, loader, x_train, x_test)`:
// SparseLinear on the texts' CSR counts or, with `dense`, nn::Linear on the
// dense count matrix; the loader serves the rows of x_train with their labels
// under `loading`. Returns the model's word weights.
template <class Train>
WordWeights fit_bag_of_words(const TextSplit& data, bool dense, const datasets::DataLoaderOptions& loading,
                             Train&& train_model) {
  datasets::BagOfWords bow;
  bow.fit(data.train.texts);
  if (dense) {
    nn::Linear model(bow.num_features(), 2);
    const Array<float> x_train = bow.transform(data.train.texts);
    datasets::DataLoader loader(x_train, data.train.labels, loading);
    train_model(model, loader, x_train, bow.transform(data.test.texts));
    return {bow.vocabulary(), xt::transpose(model.weight.value())};
  }
  SparseLinear model(bow.num_features(), 2);
  const CsrMatrix<float> x_train = bow.transform_sparse(data.train.texts);
  datasets::CsrDataLoader loader(x_train, data.train.labels, loading);
  train_model(model, loader, x_train, bow.transform_sparse(data.test.texts));
  return {bow.vocabulary(), model.bag.weight.value()};
}

// Prints "most positive: ..." and "most negative: ..." (a line each): the
// ten words (all of them when the vocabulary is smaller) pulling hardest
// towards class 1 and towards class 0. A word's pull towards 1 is the
// difference of its two weights.
void print_top_words(const WordWeights& words);

// Trained on the texts of every source but `source`, tested on those of
// `source`: how well a model carries over to texts of another kind.
TextSplit split_by_source(const datasets::TextDataset& data, const std::string& source);

}  // namespace xg::examples
