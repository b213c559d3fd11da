// Data preparation shared by every implementation. The split is a seeded
// permutation of the rows, the first 80 % of it the training rows in that
// order; batches are consecutive training rows, the last one partial. Initial
// weights are drawn here and nowhere else, as torch.nn.Linear draws them
// (uniform in +-1/sqrt(in) for weight and bias), from one seeded generator.

#include "workload.hpp"

#include <cmath>
#include <numeric>

#include <xgrad/core/generator.hpp>
#include <xgrad/datasets/bag_of_words.hpp>
#include <xgrad/datasets/loaders.hpp>
#include <xgrad/datasets/standard_scaler.hpp>

namespace bench {

namespace {

constexpr std::uint64_t split_seed = 42;
constexpr std::uint64_t weight_seed = 7;
constexpr double train_fraction = 0.8;

std::vector<std::size_t> permutation(std::size_t n, std::uint64_t seed) {
  std::vector<std::size_t> order(n);
  std::iota(order.begin(), order.end(), std::size_t{0});
  xg::Generator generator(seed);
  for (std::size_t i = n; i > 1; --i) std::swap(order[i - 1], order[generator.randint(i)]);
  return order;
}

std::vector<std::size_t> training_rows(std::size_t n) {
  auto order = permutation(n, split_seed);
  order.resize(static_cast<std::size_t>(std::lround(static_cast<double>(n) * train_fraction)));
  return order;
}

std::vector<LinearInit> layers_of(const std::vector<std::size_t>& sizes) {
  xg::Generator generator(weight_seed);
  std::vector<LinearInit> layers;
  for (std::size_t l = 0; l + 1 < sizes.size(); ++l) {
    LinearInit layer{sizes[l], sizes[l + 1], {}, {}};
    const double bound = 1.0 / std::sqrt(static_cast<double>(layer.in));
    layer.weight.resize(layer.out * layer.in);
    layer.bias.resize(layer.out);
    for (float& w : layer.weight) w = static_cast<float>(generator.uniform(-bound, bound));
    for (float& b : layer.bias) b = static_cast<float>(generator.uniform(-bound, bound));
    layers.push_back(std::move(layer));
  }
  return layers;
}

// Batches of `batch_size` consecutive rows of a (rows, columns) feature array.
std::vector<Batch> dense_batches(const xg::Array<float>& features, const std::vector<std::size_t>& labels,
                                 std::size_t batch_size) {
  const std::size_t rows = labels.size(), columns = features.shape()[1];
  std::vector<Batch> batches;
  for (std::size_t first = 0; first < rows; first += batch_size) {
    Batch b;
    b.rows = std::min(batch_size, rows - first);
    b.features.assign(features.data() + first * columns, features.data() + (first + b.rows) * columns);
    b.labels.assign(labels.begin() + static_cast<long>(first), labels.begin() + static_cast<long>(first + b.rows));
    batches.push_back(std::move(b));
  }
  return batches;
}

xg::datasets::Dataset training_part(const xg::datasets::Dataset& all) {
  return xg::datasets::subset(all, training_rows(all.size()));
}

}  // namespace

Workload iris_workload() {
  auto train = training_part(xg::datasets::load_iris());
  const auto features = xg::datasets::StandardScaler().fit_transform(train.features);
  Workload w{.name = "W1 iris",
             .description = "standardized iris, Linear(4, 3), full batch of 120, Adagrad lr 0.1, 500 steps",
             .layers = layers_of({4, 3}),
             .lr = 0.1};
  w.batches = dense_batches(features, train.labels, train.size());
  w.timed_steps = 500;
  return w;
}

Workload digits_workload() {
  auto train = training_part(xg::datasets::load_digits());
  train.features /= 16.0f;
  Workload w{.name = "W2 digits",
             .description = "digits / 16, Linear(64, 64) + tanh + Linear(64, 10), Adagrad lr 0.05, batch 32, 20 epochs",
             .layers = layers_of({64, 64, 10}),
             .lr = 0.05};
  w.batches = dense_batches(train.features, train.labels, 32);
  w.timed_steps = 20 * w.batches.size();
  return w;
}

Workload sentiment_workload() {
  const auto all = xg::datasets::load_sentiment();
  const auto train = xg::datasets::subset(all, training_rows(all.size()));
  xg::datasets::BagOfWords bag;
  const auto features = bag.fit_transform(train.texts);
  const std::size_t vocabulary = bag.num_features();
  Workload w{.name = "W3 sentiment",
             .description = "bag-of-words counts over " + std::to_string(vocabulary) +
                            " words, Linear(V, 2), Adagrad lr 0.1, batch 32, 20 epochs",
             .layers = layers_of({vocabulary, 2}),
             .lr = 0.1,
             .has_sparse = true};
  w.batches = dense_batches(features, train.labels, 32);
  std::size_t first = 0;
  for (Batch& b : w.batches) {
    std::vector<std::string> texts(train.texts.begin() + static_cast<long>(first),
                                   train.texts.begin() + static_cast<long>(first + b.rows));
    b.sparse = bag.transform_sparse(texts);
    first += b.rows;
  }
  w.timed_steps = 20 * w.batches.size();
  return w;
}

Workload scale_workload() {
  constexpr std::size_t batch_size = 256, distinct_batches = 8, inputs = 784, classes = 10;
  Workload w{.name = "W4 scale",
             .description =
                 "random data, MLP 784-1024-tanh-1024-tanh-10, Adam lr 1e-3, batch 256, 3 warm-up + 30 "
                 "timed steps",
             .layers = layers_of({inputs, 1024, 1024, classes}),
             .optimizer = OptimizerKind::Adam,
             .lr = 1e-3};
  xg::Generator generator(split_seed);
  for (std::size_t i = 0; i < distinct_batches; ++i) {
    Batch b;
    b.rows = batch_size;
    b.features.resize(batch_size * inputs);
    for (float& x : b.features) x = static_cast<float>(generator.normal());
    for (std::size_t r = 0; r < batch_size; ++r) b.labels.push_back(generator.randint(classes));
    w.batches.push_back(std::move(b));
  }
  w.warmup_steps = 3;
  w.timed_steps = 30;
  return w;
}

}  // namespace bench
