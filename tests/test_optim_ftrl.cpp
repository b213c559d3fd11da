// Ftrl: first steps from Keras's update_step worked by hand, option checks,
// resume, the exact row-sparse path against the dense one over 200 steps of
// a bag-of-words model, and l1 driving useless features to exactly 0.

#include <algorithm>
#include <cmath>
#include <cstddef>
#include <stdexcept>
#include <vector>

#include <doctest/doctest.h>

#include <xgrad/optim/optim.hpp>
#include <xgrad/xgrad.hpp>

#include "exception_message.hpp"
#include "optim_policy_checks.hpp"

using xg::testing::Pair;

namespace {

// keras/src/optimizers/ftrl.py update_step, per coordinate.
auto ftrl_reference(const xg::optim::FtrlOptions& o) {
  const double init = o.initial_accumulator_value;
  return [o, n = Pair{init, init}, z = Pair{0, 0}](Pair& theta, const Pair& g, int) mutable {
    const double c = -o.learning_rate_power, l2_reg = o.l2 + o.beta / (2 * o.lr);
    for (std::size_t i = 0; i < 2; ++i) {
      const double n_new = n[i] + g[i] * g[i];
      z[i] += g[i] - (std::pow(n_new, c) - std::pow(n[i], c)) / o.lr * theta[i];
      const double quadratic = std::pow(n_new, c) / o.lr + 2 * l2_reg;
      theta[i] = (std::clamp(z[i], -o.l1, o.l1) - z[i]) / quadratic;
      n[i] = n_new;
    }
  };
}

}  // namespace

TEST_CASE("Ftrl: the first steps equal Keras's formula worked by hand") {
  // t=1: g = (1, -2), n' = 0.1 + g² = (1.1, 4.1), z = g - (√n' - √0.1)/lr·θ
  const double z1 = 1 - (std::sqrt(1.1) - std::sqrt(0.1)) / 0.1 * 1;
  const double z2 = -2 - (std::sqrt(4.1) - std::sqrt(0.1)) / 0.1 * -0.5;
  SUBCASE("lr") {
    // θ = (0 - z)/(√n'/lr)
    const xg::optim::FtrlOptions o{.lr = 0.1};
    xg::testing::check_first_steps<xg::optim::Ftrl>(o, ftrl_reference(o),
                                                    {-z1 / (std::sqrt(1.1) / 0.1), -z2 / (std::sqrt(4.1) / 0.1)});
  }
  SUBCASE("defaults (lr = 1e-3)") {
    const double y1 = 1 - (std::sqrt(1.1) - std::sqrt(0.1)) / 1e-3, y2 = -2 + (std::sqrt(4.1) - std::sqrt(0.1)) / 2e-3;
    const xg::optim::FtrlOptions o{};
    xg::testing::check_first_steps<xg::optim::Ftrl>(o, ftrl_reference(o),
                                                    {-y1 / (std::sqrt(1.1) / 1e-3), -y2 / (std::sqrt(4.1) / 1e-3)});
  }
  SUBCASE("l1: |z| below l1 gives exactly 0") {
    // z ≈ (-6.33, 6.66): clip(z, ±5) - z = (-5 - z1, 5 - z2)
    const xg::optim::FtrlOptions o{.lr = 0.1, .l1 = 5};
    xg::testing::check_first_steps<xg::optim::Ftrl>(
        o, ftrl_reference(o), {(-5 - z1) / (std::sqrt(1.1) / 0.1), (5 - z2) / (std::sqrt(4.1) / 0.1)}, 6);
  }
  SUBCASE("l2, beta") {
    // quadratic = √n'/lr + 2·(l2 + β/(2 lr)) = √n'/0.1 + 2·(0.3 + 0.5/0.2)
    const xg::optim::FtrlOptions o{.lr = 0.1, .l2 = 0.3, .beta = 0.5};
    xg::testing::check_first_steps<xg::optim::Ftrl>(
        o, ftrl_reference(o),
        {-z1 / (std::sqrt(1.1) / 0.1 + 2 * (0.3 + 2.5)), -z2 / (std::sqrt(4.1) / 0.1 + 2 * (0.3 + 2.5))});
  }
  SUBCASE("learning_rate_power, initial_accumulator_value") {
    // c = 0.3, n' = 0.5 + g² = (1.5, 4.5), z = g - (n'^c - 0.5^c)/lr·θ, θ = -z/(n'^c/lr)
    const double w1 = 1 - (std::pow(1.5, 0.3) - std::pow(0.5, 0.3)) / 0.1;
    const double w2 = -2 + (std::pow(4.5, 0.3) - std::pow(0.5, 0.3)) / 0.2;
    const xg::optim::FtrlOptions o{.lr = 0.1, .learning_rate_power = -0.3, .initial_accumulator_value = 0.5};
    xg::testing::check_first_steps<xg::optim::Ftrl>(
        o, ftrl_reference(o), {-w1 / (std::pow(1.5, 0.3) / 0.1), -w2 / (std::pow(4.5, 0.3) / 0.1)}, 6);
  }
}

TEST_CASE("Ftrl: invalid options are refused naming the option and its value") {
  auto w = xg::zeros<double>({2}, true);
  using xg::testing::contains;
  using xg::testing::message_of;
  CHECK(contains(message_of<std::invalid_argument>([&] { xg::optim::Ftrl<double>({w}, {.lr = 0}); }),
                 "Ftrl: invalid lr = 0"));
  CHECK(contains(message_of<std::invalid_argument>([&] { xg::optim::Ftrl<double>({w}, {.learning_rate_power = 0.5}); }),
                 "Ftrl: invalid learning_rate_power = 0.5"));
  CHECK(contains(message_of<std::invalid_argument>([&] { xg::optim::Ftrl<double>({w}, {.l1 = -1}); }),
                 "Ftrl: invalid l1 = -1"));
  CHECK(contains(message_of<std::invalid_argument>([&] { xg::optim::Ftrl<double>({w}, {.beta = -2}); }),
                 "Ftrl: invalid beta = -2"));
  CHECK(contains(
      message_of<std::invalid_argument>([&] { xg::optim::Ftrl<double>({w}, {.initial_accumulator_value = 0}); }),
      "Ftrl: initial_accumulator_value = 0 needs l2 > 0 or beta > 0"));
  // With l2 > 0 the denominator stays positive.
  CHECK_NOTHROW(xg::optim::Ftrl<double>({w}, {.initial_accumulator_value = 0, .l2 = 0.1}));
}

TEST_CASE("Ftrl: training resumed from a checkpoint continues bit-identically") {
  xg::testing::check_resume<xg::optim::Ftrl<float>>({.lr = 0.1, .l1 = 0.01});
  xg::testing::check_resume<xg::optim::Ftrl<double>>({.lr = 0.1, .learning_rate_power = -0.3, .l2 = 0.1, .beta = 1});
}

namespace {

constexpr std::size_t vocabulary = 200, informative = 10, batch_size = 32;

// Seeded sentences of a bag-of-words sentiment task: two words from the
// label's half of the 10 informative words (0-4 positive, 5-9 negative),
// then 3 to 8 noise words drawn from the other 190, skewed (Zipf-like) so
// that rare words sit out many steps; one label in ten is then flipped. The
// noise words carry no information, and the best accuracy is about 0.9.
struct Bow {
  std::vector<xg::CsrMatrix<double>> batches;
  std::vector<std::vector<std::size_t>> labels;
};

Bow make_bow(std::size_t samples, std::uint64_t seed) {
  xg::Generator gen(seed);
  Bow bow;
  for (std::size_t first = 0; first < samples; first += batch_size) {
    xg::CsrMatrix<double> x{.rows = batch_size, .cols = vocabulary, .row_ptr = {0}, .col = {}, .val = {}};
    std::vector<std::size_t> labels;
    for (std::size_t i = 0; i < batch_size; ++i) {
      const std::size_t label = gen.randint(2);
      std::vector<std::size_t> words{label == 1 ? gen.randint(5) : 5 + gen.randint(5),
                                     label == 1 ? gen.randint(5) : 5 + gen.randint(5)};
      for (std::size_t k = 0, n = 3 + gen.randint(6); k < n; ++k) {
        const double u = gen.uniform();
        words.push_back(informative + static_cast<std::size_t>(static_cast<double>(vocabulary - informative) * u * u));
      }
      std::sort(words.begin(), words.end());
      for (std::size_t k = 0; k < words.size();) {
        std::size_t end = k;
        while (end < words.size() && words[end] == words[k]) ++end;
        x.col.push_back(words[k]);
        x.val.push_back(static_cast<double>(end - k));
        k = end;
      }
      x.row_ptr.push_back(x.col.size());
      // One label in ten is flipped: no model is right on all.
      labels.push_back(gen.uniform() < 0.1 ? 1 - label : label);
    }
    bow.batches.push_back(std::move(x));
    bow.labels.push_back(std::move(labels));
  }
  return bow;
}

struct BowModel {
  xg::BasicTensor<double> weight, bias;
};

BowModel fresh_bow_model() {
  xg::Generator gen(7);
  auto w = xg::Array<double>::from_shape({vocabulary, 2});
  for (auto& v : w) v = 0.1 * gen.normal();
  return {xg::BasicTensor<double>(w, true), xg::zeros<double>({2}, true)};
}

// logits = x·W + b, cross-entropy; W's gradient is row-sparse, made dense
// first (W.grad()) when `densify`, so that both paths see the same numbers.
BowModel train_bow(const Bow& bow, const xg::optim::FtrlOptions& options, int steps, bool densify) {
  BowModel m = fresh_bow_model();
  xg::optim::Ftrl<double> opt(xg::NamedTensors<double>{{"w", m.weight}, {"b", m.bias}}, options);
  for (int t = 0; t < steps; ++t) {
    const std::size_t b = static_cast<std::size_t>(t) % bow.batches.size();
    auto loss = xg::nn::functional::cross_entropy(xg::sparse_matmul(bow.batches[b], m.weight) + m.bias, bow.labels[b]);
    opt.zero_grad(true);
    loss.backward();
    REQUIRE(m.weight.has_sparse_grad());
    if (densify) m.weight.grad();
    opt.step();
  }
  return m;
}

double accuracy(const BowModel& m, const Bow& bow) {
  std::size_t right = 0, total = 0;
  for (std::size_t b = 0; b < bow.batches.size(); ++b) {
    const auto logits = xg::sparse_matmul(bow.batches[b], m.weight) + m.bias;
    for (std::size_t i = 0; i < batch_size; ++i, ++total)
      right += (logits.value()(i, 1) > logits.value()(i, 0) ? 1u : 0u) == bow.labels[b][i] ? 1 : 0;
  }
  return static_cast<double>(right) / static_cast<double>(total);
}

// The fraction of the noise words' weights that are exactly 0.
double noise_zeros(const BowModel& m) {
  std::size_t zeros = 0;
  for (std::size_t r = informative; r < vocabulary; ++r)
    for (std::size_t c = 0; c < 2; ++c) zeros += m.weight.value()(r, c) == 0.0 ? 1 : 0;
  return static_cast<double>(zeros) / static_cast<double>(2 * (vocabulary - informative));
}

}  // namespace

TEST_CASE("Ftrl: 200 steps on row-sparse gradients equal the dense run bit for bit") {
  const Bow bow = make_bow(256, 42);
  for (const xg::optim::FtrlOptions& o :
       {xg::optim::FtrlOptions{.lr = 0.5}, xg::optim::FtrlOptions{.lr = 0.5, .l1 = 0.05, .l2 = 0.01, .beta = 0.1},
        xg::optim::FtrlOptions{.lr = 0.5, .learning_rate_power = -0.3}}) {
    const BowModel sparse = train_bow(bow, o, 200, false), dense = train_bow(bow, o, 200, true);
    CHECK(sparse.weight.value() == dense.weight.value());
    CHECK(sparse.bias.value() == dense.bias.value());
    // Not vacuous: the weights moved.
    const xg::Array<double> start = fresh_bow_model().weight.value();
    double moved = 0;
    for (std::size_t i = 0; i < start.size(); ++i)
      moved = std::max(moved, std::abs(sparse.weight.value().data()[i] - start.data()[i]));
    CHECK(moved > 0.1);
  }
}

TEST_CASE("Ftrl: l1 drives the weights of useless features to exactly 0, keeping the accuracy") {
  const Bow train = make_bow(1024, 42), test = make_bow(512, 43);
  const BowModel plain = train_bow(train, {.lr = 0.5}, 320, false);
  const BowModel sparse = train_bow(train, {.lr = 0.5, .l1 = 1.0}, 320, false);
  const double plain_zeros = noise_zeros(plain), l1_zeros = noise_zeros(sparse);
  const double plain_accuracy = accuracy(plain, test), l1_accuracy = accuracy(sparse, test);
  MESSAGE("noise-word weights exactly 0: l1 = 0: " << plain_zeros << ", l1 = 1: " << l1_zeros
                                                   << "; test accuracy: l1 = 0: " << plain_accuracy
                                                   << ", l1 = 1: " << l1_accuracy);
  CHECK(plain_zeros < 0.05);
  CHECK(l1_zeros > 0.85);
  // About 0.9 is the best any model can do with one label in ten flipped.
  CHECK(l1_accuracy > 0.85);
  CHECK(l1_accuracy >= plain_accuracy - 0.02);
  // The informative words keep nonzero weights.
  for (std::size_t r = 0; r < informative; ++r) CHECK(sparse.weight.value()(r, 0) != sparse.weight.value()(r, 1));
}
