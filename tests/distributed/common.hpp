#pragma once
// What the distributed tests share: the two models of issue #19 written for
// float and double (the digits MLP and the bag-of-words model), their data,
// and one training loop that runs either as one process or as this rank of a
// data-parallel job.

#include <algorithm>
#include <cmath>
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include <mpi.h>
#include <xtensor/xview.hpp>

#include <xgrad/distributed/distributed.hpp>
#include <xgrad/xgrad.hpp>

namespace dist_test {

namespace xd = xg::distributed;

inline int rank() {
  int r = 0;
  MPI_Comm_rank(MPI_COMM_WORLD, &r);
  return r;
}
inline int world_size() {
  int p = 1;
  MPI_Comm_size(MPI_COMM_WORLD, &p);
  return p;
}

// The digits, pixels scaled to [0, 1]; the first `rows` of them.
inline xg::datasets::Dataset digits(std::size_t rows) {
  static const xg::datasets::Dataset all = [] {
    auto d = xg::datasets::load_digits();
    d.features /= 16.0f;
    return d;
  }();
  xg::datasets::Dataset cut;
  cut.features = xt::view(all.features, xt::range(0, rows), xt::all());
  cut.labels.assign(all.labels.begin(), all.labels.begin() + static_cast<std::ptrdiff_t>(rows));
  cut.class_names = all.class_names;
  return cut;
}

// The sentiment sentences as word counts (CSR) and their labels.
struct Sentences {
  xg::CsrMatrix<float> counts;
  std::vector<std::size_t> labels;
};
inline const Sentences& sentences() {
  static const Sentences s = [] {
    const auto text = xg::datasets::load_sentiment();
    xg::datasets::BagOfWords bow;
    bow.fit(text.texts);
    return Sentences{bow.transform_sparse(text.texts), text.labels};
  }();
  return s;
}

template <class S>
xg::BasicTensor<S> as(const xg::Tensor& x) {
  if constexpr (std::is_same_v<S, float>)
    return x;
  else
    return xg::BasicTensor<S>(xt::cast<S>(x.value()));
}
template <class S>
xg::CsrMatrix<S> as(const xg::CsrMatrix<float>& x) {
  if constexpr (std::is_same_v<S, float>)
    return x;
  else
    return {.rows = x.rows, .cols = x.cols, .row_ptr = x.row_ptr, .col = x.col, .val = {x.val.begin(), x.val.end()}};
}

template <class S>
xg::BasicTensor<S> drawn(xg::Generator& gen, xg::Shape shape, double bound) {
  return xg::uniform<S>(shape, -bound, bound, /*requires_grad=*/true, gen);
}

// Linear(64, 64) + tanh + Linear(64, 10), weights stored (in, out).
template <class S>
struct Mlp {
  xg::BasicTensor<S> w1, b1, w2, b2;
  explicit Mlp(std::uint64_t seed) {
    xg::Generator gen(seed);
    w1 = drawn<S>(gen, {64, 64}, 0.125);
    b1 = drawn<S>(gen, {64}, 0.125);
    w2 = drawn<S>(gen, {64, 10}, 0.125);
    b2 = drawn<S>(gen, {10}, 0.125);
  }
  std::vector<xg::BasicTensor<S>> parameters() const { return {w1, b1, w2, b2}; }
  xg::BasicTensor<S> operator()(const xg::Tensor& x) const {
    return xg::matmul(xg::tanh(xg::matmul(as<S>(x), w1) + b1), w2) + b2;
  }
};

// logits = counts · W + b, W's gradient row-sparse (sparse_matmul).
template <class S>
struct BagOfWordsModel {
  xg::BasicTensor<S> weight, bias;
  explicit BagOfWordsModel(std::uint64_t seed) {
    xg::Generator gen(seed);
    const double bound = 1.0 / std::sqrt(static_cast<double>(sentences().counts.cols));
    weight = drawn<S>(gen, {sentences().counts.cols, 2}, bound);
    bias = drawn<S>(gen, {2}, bound);
  }
  std::vector<xg::BasicTensor<S>> parameters() const { return {weight, bias}; }
  xg::BasicTensor<S> operator()(const xg::CsrMatrix<float>& x) const {
    return xg::sparse_matmul(as<S>(x), weight) + bias;
  }
};

template <class S>
using MakeOptimizer = std::function<std::unique_ptr<xg::optim::OptimizerBase>(std::vector<xg::BasicTensor<S>>)>;

template <class S>
struct Trained {
  std::vector<xg::Array<S>> weights;
  xd::ExchangeStats last_exchange;
  bool saw_sparse_exchange = false;  // a parameter's averaged gradient was row-sparse at some step
};

// `steps` steps over `loader` (epochs as needed), from the model's initial
// weights. With `distributed`, the weights are first broadcast from rank 0 and
// every step averages the gradients across ranks before the optimizer's step;
// a rank whose share of a batch is empty computes no loss.
template <class S, class Model, class Loader>
Trained<S> train(const Model& model, const MakeOptimizer<S>& make_optimizer, Loader& loader, int steps,
                 bool distributed) {
  const auto parameters = model.parameters();
  if (distributed) {
    xg::NamedTensors<S> named;
    for (std::size_t i = 0; i < parameters.size(); ++i) named.emplace_back(std::to_string(i), parameters[i]);
    xd::broadcast_parameters(named);
  }
  auto optimizer = make_optimizer(parameters);
  Trained<S> out;
  for (int step = 0; step < steps;) {
    for (const auto& batch : loader) {
      optimizer->zero_grad();
      if (!batch.y.empty()) xg::nn::functional::cross_entropy(model(batch.x), batch.y).backward();
      if (distributed) {
        out.last_exchange = xd::all_reduce_gradients(parameters, batch.y.size());
        for (const auto& p : parameters) out.saw_sparse_exchange = out.saw_sparse_exchange || p.has_sparse_grad();
      }
      optimizer->step();
      if (++step == steps) break;
    }
  }
  for (const auto& p : parameters) out.weights.push_back(p.value());
  return out;
}

// max |a - b| / max |b| over a parameter.
template <class S>
double relative_difference(const xg::Array<S>& a, const xg::Array<S>& b) {
  double diff = 0, scale = 0;
  for (std::size_t i = 0; i < a.size(); ++i) {
    diff = std::max(diff, std::abs(static_cast<double>(a.data()[i]) - static_cast<double>(b.data()[i])));
    scale = std::max(scale, std::abs(static_cast<double>(b.data()[i])));
  }
  return diff / scale;
}

// Whether every rank holds the same bits as rank 0 in `weights`.
template <class S>
bool same_on_every_rank(const std::vector<xg::Array<S>>& weights) {
  int same = 1;
  for (const auto& w : weights) {
    xg::Array<S> root = w;
    MPI_Bcast(root.data(), static_cast<int>(root.size()), sizeof(S) == 4 ? MPI_FLOAT : MPI_DOUBLE, 0, MPI_COMM_WORLD);
    same = same && std::equal(root.begin(), root.end(), w.begin());
  }
  int all = 0;
  MPI_Allreduce(&same, &all, 1, MPI_INT, MPI_MIN, MPI_COMM_WORLD);
  return all == 1;
}

}  // namespace dist_test
