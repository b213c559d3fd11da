// Optimizers with row-sparse gradients: the exact row updates (Adagrad, SGD,
// RMSprop, Adadelta) against the dense run of the same bag-of-words model,
// the lazy Adam family against formulas written here, densified updates, and
// saving the state in the middle of a sparse run.

#include <algorithm>
#include <cmath>
#include <functional>
#include <memory>
#include <vector>

#include <doctest/doctest.h>

#include <xgrad/optim/optim.hpp>
#include <xgrad/xgrad.hpp>

namespace {

namespace optim = xg::optim;

constexpr std::size_t vocabulary = 120, samples = 256, batch_size = 32;

// Seeded bag-of-words sentences: ~6 words each, drawn with a skewed
// (Zipf-like) frequency so that rare words sit out many steps between uses;
// the label says whether the sentence holds more even than odd words.
template <class S>
struct BowData {
  std::vector<xg::CsrMatrix<S>> batches;
  std::vector<xg::Array<S>> dense_batches;
  std::vector<std::vector<std::size_t>> labels;
};

template <class S>
BowData<S> make_data() {
  xg::Generator gen(42);
  xg::CsrMatrix<S> all{.rows = samples, .cols = vocabulary, .row_ptr = {0}, .col = {}, .val = {}};
  std::vector<std::size_t> labels;
  for (std::size_t i = 0; i < samples; ++i) {
    std::vector<std::size_t> words;
    for (std::size_t k = 0, n = 3 + gen.randint(6); k < n; ++k) {
      const double u = gen.uniform();
      words.push_back(static_cast<std::size_t>(static_cast<double>(vocabulary) * u * u * u));
    }
    std::sort(words.begin(), words.end());
    int even = 0;
    for (std::size_t k = 0; k < words.size();) {
      std::size_t end = k;
      while (end < words.size() && words[end] == words[k]) ++end;
      all.col.push_back(words[k]);
      all.val.push_back(static_cast<S>(end - k));
      even += words[k] % 2 == 0 ? 1 : -1;
      k = end;
    }
    all.row_ptr.push_back(all.col.size());
    labels.push_back(even > 0 ? 1 : 0);
  }
  BowData<S> data;
  for (std::size_t first = 0; first < samples; first += batch_size) {
    data.batches.push_back(all.slice_rows(first, first + batch_size));
    data.dense_batches.push_back(data.batches.back().to_dense());
    data.labels.emplace_back(labels.begin() + static_cast<std::ptrdiff_t>(first),
                             labels.begin() + static_cast<std::ptrdiff_t>(first + batch_size));
  }
  return data;
}

template <class S>
const BowData<S>& data() {
  static const BowData<S> d = make_data<S>();
  return d;
}

template <class S>
struct Model {
  xg::BasicTensor<S> weight, bias;
};

template <class S>
Model<S> fresh_model() {
  xg::Generator gen(7);
  auto w = xg::Array<S>::from_shape({vocabulary, 2});
  for (auto& v : w) v = static_cast<S>(0.1 * gen.normal());
  return {xg::BasicTensor<S>(w, true), xg::zeros<S>({2}, true)};
}

struct RunOptions {
  bool sparse = true;
  int steps = 200;
  int reload_at = -1;   // rebuild the optimizer from its state_dict before this step
  int dense_every = 0;  // on every such step W also gets a dense gradient
};

// Trains logits = x W + b with cross-entropy; W's gradient is row-sparse on
// the sparse path (sparse_matmul) and dense on the other (matmul).
template <template <class> class Opt, class S, class Options>
Model<S> train(const Options& options, RunOptions run) {
  const auto& d = data<S>();
  Model<S> m = fresh_model<S>();
  auto make = [&] { return std::make_unique<Opt<S>>(xg::NamedTensors<S>{{"w", m.weight}, {"b", m.bias}}, options); };
  auto opt = make();
  const auto probe = xg::full<S>({1, vocabulary}, S(0.01));
  for (int t = 0; t < run.steps; ++t) {
    if (t == run.reload_at) {
      const auto saved = xg::io::Archive::from_bytes(opt->state_dict().to_bytes("optimizer"), "optimizer");
      opt = make();
      opt->load_state_dict(saved);
    }
    const std::size_t b = static_cast<std::size_t>(t) % d.batches.size();
    auto logits = run.sparse ? xg::sparse_matmul(d.batches[b], m.weight)
                             : xg::matmul(xg::BasicTensor<S>(d.dense_batches[b]), m.weight);
    auto loss = xg::nn::functional::cross_entropy(logits + m.bias, d.labels[b]);
    if (run.dense_every && t % run.dense_every == run.dense_every - 1)
      loss = loss + xg::sum(xg::matmul(probe, m.weight));
    opt->zero_grad(true);
    loss.backward();
    if (run.sparse && !(run.dense_every && t % run.dense_every == run.dense_every - 1))
      REQUIRE(m.weight.has_sparse_grad());
    opt->step();
  }
  return m;
}

// Largest |a − b| / max(|b|, 1e-2) over the weights and biases: relative,
// with a floor for weights that pass near zero.
template <class S>
double worst_relative_difference(const Model<S>& a, const Model<S>& b) {
  double worst = 0;
  for (auto [x, y] : {std::pair{&a.weight, &b.weight}, std::pair{&a.bias, &b.bias}}) {
    const auto& u = x->value();
    const auto& v = y->value();
    for (std::size_t i = 0; i < u.size(); ++i) {
      const double scale = std::max(std::abs(static_cast<double>(v.data()[i])), 1e-2);
      worst = std::max(worst, std::abs(static_cast<double>(u.data()[i]) - v.data()[i]) / scale);
    }
  }
  return worst;
}

// How far the model moved from its start: the equality must not be vacuous.
template <class S>
double largest_move(const Model<S>& m) {
  const auto start = fresh_model<S>();
  double move = 0;
  for (std::size_t i = 0; i < m.weight.numel(); ++i)
    move = std::max(move, std::abs(static_cast<double>(m.weight.value().data()[i] - start.weight.value().data()[i])));
  return move;
}

template <template <class> class Opt, class Options>
void check_sparse_equals_dense(const Options& options, RunOptions run = {}) {
  run.sparse = true;
  RunOptions dense_run = run;
  dense_run.sparse = false;
  dense_run.reload_at = -1;
  const auto sparse32 = train<Opt, float>(options, run), dense32 = train<Opt, float>(options, dense_run);
  const auto sparse64 = train<Opt, double>(options, run), dense64 = train<Opt, double>(options, dense_run);
  CHECK(largest_move(dense64) > 0.05);
  CHECK(worst_relative_difference(sparse32, dense32) <= 1e-5);
  CHECK(worst_relative_difference(sparse64, dense64) <= 1e-10);
}

}  // namespace

TEST_CASE("sparse optim: 200 Adagrad steps on row-sparse gradients equal the dense run") {
  check_sparse_equals_dense<optim::Adagrad>(optim::AdagradOptions{.lr = 0.1});
  check_sparse_equals_dense<optim::Adagrad>(
      optim::AdagradOptions{.lr = 0.1, .lr_decay = 0.01, .initial_accumulator_value = 0.1});
}

TEST_CASE("sparse optim: 200 SGD steps (no momentum) on row-sparse gradients equal the dense run") {
  check_sparse_equals_dense<optim::SGD>(optim::SGDOptions{.lr = 0.5});
}

TEST_CASE("sparse optim: 200 RMSprop steps, plain and centered, equal the dense run (decays caught up)") {
  check_sparse_equals_dense<optim::RMSprop>(optim::RMSpropOptions{.lr = 0.01});
  check_sparse_equals_dense<optim::RMSprop>(optim::RMSpropOptions{.lr = 0.01, .alpha = 0.9, .centered = true});
}

TEST_CASE("sparse optim: 200 Adadelta steps on row-sparse gradients equal the dense run (decays caught up)") {
  check_sparse_equals_dense<optim::Adadelta>(optim::AdadeltaOptions{.lr = 1.0, .rho = 0.8});
}

TEST_CASE("sparse optim: a dense gradient between sparse ones first catches up the pending decays") {
  check_sparse_equals_dense<optim::RMSprop>(optim::RMSpropOptions{.lr = 0.01, .centered = true}, {.dense_every = 37});
  check_sparse_equals_dense<optim::Adadelta>(optim::AdadeltaOptions{.rho = 0.8}, {.dense_every = 37});
}

TEST_CASE("sparse optim: state_dict in the middle of a sparse run keeps it exact") {
  check_sparse_equals_dense<optim::RMSprop>(optim::RMSpropOptions{.lr = 0.01, .centered = true}, {.reload_at = 101});
  check_sparse_equals_dense<optim::Adadelta>(optim::AdadeltaOptions{.rho = 0.8}, {.reload_at = 101});
  check_sparse_equals_dense<optim::Adagrad>(optim::AdagradOptions{.lr = 0.1, .lr_decay = 0.01}, {.reload_at = 101});
  // The per-row steps are part of the saved state, and are checked on load.
  auto m = fresh_model<double>();
  optim::RMSprop<double> opt(xg::NamedTensors<double>{{"w", m.weight}}, {});
  xg::sum(xg::sparse_matmul(data<double>().batches[0], m.weight)).backward();
  opt.step();
  auto state = opt.state_dict();
  CHECK(state.get_array<double>("state.w.row_step").size() == vocabulary);
  state.put("state.w.row_step", xg::Array<double>::from_shape({3}));
  CHECK_THROWS_AS(opt.load_state_dict(state), xg::ShapeError);
}

TEST_CASE("sparse optim: weight decay and momentum densify the gradient, so the result is the dense one") {
  check_sparse_equals_dense<optim::Adagrad>(optim::AdagradOptions{.lr = 0.1, .weight_decay = 1e-2});
  check_sparse_equals_dense<optim::SGD>(optim::SGDOptions{.lr = 0.1, .momentum = 0.9, .weight_decay = 1e-3});
  check_sparse_equals_dense<optim::RMSprop>(optim::RMSpropOptions{.lr = 0.01, .weight_decay = 1e-2, .momentum = 0.5});
  check_sparse_equals_dense<optim::Adam>(optim::AdamOptions{.lr = 0.01});
  check_sparse_equals_dense<optim::AdamW>(optim::AdamWOptions{.lr = 0.01});
  // Densified, a row with momentum but no gradient moves, as in the dense
  // algorithm: row 0 at the second step.
  xg::Tensor64 w(xg::Array<double>{{1, 2}, {3, 4}, {-1, 0.5}}, true);
  optim::Adam<double> adam({w}, {.lr = 0.1});
  xg::RowSparse<double> first{{0, 2}, xg::Array<double>{{1, 1}, {1, 1}}};
  w.node()->accumulate_sparse_grad(std::move(first));
  adam.step();
  const double row0 = w.value()(0, 0);
  adam.zero_grad(true);
  xg::RowSparse<double> second{{2}, xg::Array<double>{{1, 1}}};
  w.node()->accumulate_sparse_grad(std::move(second));
  adam.step();
  CHECK(w.value()(0, 0) < row0);
  CHECK(w.value()(1, 0) == 3.0);  // never had a gradient: m = 0
}

namespace {

// Hands W (5, 2) the gradient rows `rows` with the values `values` (one row
// of two per listed row).
void give_rows(const xg::Tensor64& w, std::vector<std::size_t> rows, std::vector<double> values) {
  xg::RowSparse<double> g{std::move(rows), xg::Array<double>::from_shape({values.size() / 2, 2})};
  std::copy(values.begin(), values.end(), g.values.begin());
  w.node()->accumulate_sparse_grad(std::move(g));
}

const std::vector<std::vector<std::size_t>> lazy_rows{{0, 2}, {2, 4}, {0}, {2, 3}};
const std::vector<std::vector<double>> lazy_values{{1, -2, 0.5, 3}, {-1, 2, 4, -0.5}, {2, 2}, {0.25, -1, 3, 1}};

xg::Array<double> lazy_start() { return xg::Array<double>{{1, 2}, {3, 4}, {-1, 0.5}, {2, -3}, {0.5, 1}}; }

// Runs the four sparse steps above with `opt` on W, checking after each
// step that the rows without gradient kept their exact bits.
template <class Opt>
xg::Tensor64 run_lazy(std::function<std::unique_ptr<Opt>(const xg::Tensor64&)> make,
                      std::size_t steps = lazy_rows.size()) {
  xg::Tensor64 w(lazy_start(), true);
  auto opt = make(w);
  for (std::size_t t = 0; t < steps; ++t) {
    const xg::Array<double> before = w.value();
    opt->zero_grad(true);
    give_rows(w, lazy_rows[t], lazy_values[t]);
    opt->step();
    for (std::size_t r = 0; r < 5; ++r) {
      if (std::find(lazy_rows[t].begin(), lazy_rows[t].end(), r) != lazy_rows[t].end()) continue;
      CHECK(w.value()(r, 0) == before(r, 0));
      CHECK(w.value()(r, 1) == before(r, 1));
    }
  }
  return w;
}

}  // namespace

TEST_CASE("sparse optim: lazy Adam updates touched rows by Adam's formula with the global step") {
  const double lr = 0.1, b1 = 0.9, b2 = 0.999, eps = 1e-8;
  const auto w = run_lazy<optim::Adam<double>>([&](const xg::Tensor64& p) {
    return std::make_unique<optim::Adam<double>>(std::vector{p}, optim::AdamOptions{.lr = lr, .lazy = true});
  });
  // The reference, element by element.
  xg::Array<double> p = lazy_start(), m = xg::zeros<double>({5, 2}).value(), v = m;
  for (std::size_t t = 0; t < lazy_rows.size(); ++t) {
    const double step = static_cast<double>(t + 1);
    for (std::size_t j = 0; j < lazy_rows[t].size(); ++j)
      for (std::size_t k = 0; k < 2; ++k) {
        const std::size_t r = lazy_rows[t][j];
        const double g = lazy_values[t][2 * j + k];
        m(r, k) = b1 * m(r, k) + (1 - b1) * g;
        v(r, k) = b2 * v(r, k) + (1 - b2) * g * g;
        const double m_hat = m(r, k) / (1 - std::pow(b1, step)), v_hat = v(r, k) / (1 - std::pow(b2, step));
        p(r, k) -= lr * m_hat / (std::sqrt(v_hat) + eps);
      }
  }
  for (std::size_t i = 0; i < p.size(); ++i) CHECK(w.value().data()[i] == doctest::Approx(p.data()[i]).epsilon(1e-12));
  CHECK(w.value()(1, 0) == 3.0);  // never touched
}

TEST_CASE("sparse optim: lazy SGD with momentum keeps a buffer for the touched rows only") {
  const double lr = 0.1, mu = 0.9;
  const auto w = run_lazy<optim::SGD<double>>([&](const xg::Tensor64& p) {
    return std::make_unique<optim::SGD<double>>(std::vector{p},
                                                optim::SGDOptions{.lr = lr, .momentum = mu, .lazy = true});
  });
  xg::Array<double> p = lazy_start(), buffer = xg::zeros<double>({5, 2}).value();
  for (std::size_t t = 0; t < lazy_rows.size(); ++t)
    for (std::size_t j = 0; j < lazy_rows[t].size(); ++j)
      for (std::size_t k = 0; k < 2; ++k) {
        const std::size_t r = lazy_rows[t][j];
        buffer(r, k) = mu * buffer(r, k) + lazy_values[t][2 * j + k];
        p(r, k) -= lr * buffer(r, k);
      }
  for (std::size_t i = 0; i < p.size(); ++i) CHECK(w.value().data()[i] == doctest::Approx(p.data()[i]).epsilon(1e-12));
}

namespace {

// A row that gets a gradient at every step sees the dense algorithm with the
// same step count, so on it lazy and dense agree: row 2 over the first two
// steps, against the optimizer run densely on that row alone.
template <template <class> class Opt, class Options>
void check_lazy_row_matches_dense(Options options) {
  const auto w = run_lazy<Opt<double>>(
      [&](const xg::Tensor64& p) {
        Options lazy = options;
        lazy.lazy = true;
        return std::make_unique<Opt<double>>(std::vector{p}, lazy);
      },
      2);
  xg::Tensor64 row(xg::Array<double>{{-1, 0.5}}, true);
  Opt<double> dense({row}, options);
  for (const auto& g : {xg::Array<double>{{0.5, 3}}, xg::Array<double>{{-1, 2}}}) {
    row.grad() = g;
    dense.step();
  }
  CHECK(w.value()(2, 0) == doctest::Approx(row.value()(0, 0)).epsilon(1e-14));
  CHECK(w.value()(2, 1) == doctest::Approx(row.value()(0, 1)).epsilon(1e-14));
  CHECK(w.value()(2, 0) != -1.0);
}

}  // namespace

TEST_CASE("sparse optim: lazy AdamW, Adamax, NAdam, RAdam leave untouched rows alone") {
  check_lazy_row_matches_dense<optim::AdamW>(optim::AdamWOptions{.lr = 0.1});
  check_lazy_row_matches_dense<optim::Adamax>(optim::AdamaxOptions{.lr = 0.1});
  check_lazy_row_matches_dense<optim::NAdam>(optim::NAdamOptions{.lr = 0.1});
  check_lazy_row_matches_dense<optim::RAdam>(optim::RAdamOptions{.lr = 0.1});
  check_lazy_row_matches_dense<optim::Adam>(optim::AdamOptions{.lr = 0.1, .amsgrad = true});
}

// g++ 12 turned the row loop's unaligned SIMD stores into aligned ones: a row
// of 5 doubles starts 40 bytes into the weight, and the first Adagrad step
// on it died of SIGSEGV. Every width, aligned to the SIMD batch or not, must
// step as the formula says: from a zero sum, θ1 = θ0 − lr·g / (|g| + ε).
TEST_CASE_TEMPLATE("sparse optim: rows of any width (not only multiples of the SIMD batch) step exactly", S, float,
                   double) {
  for (std::size_t width : {1u, 2u, 3u, 4u, 5u, 6u, 7u, 8u, 9u, 12u, 17u}) {
    CAPTURE(width);
    xg::manual_seed(3);
    auto w = xg::randn<S>({40, width}, true);
    const xg::Array<S> start = w.value();
    // Rows 1, 7 and 38 of w are touched, with coefficients 1 + 2 = 3 for row 7.
    const xg::CsrMatrix<S> x{2, 40, {0, 2, 4}, {1, 7, 7, 38}, {S(0.5), S(1), S(2), S(-1.5)}};
    xg::sum(xg::sparse_matmul(x, w)).backward();
    REQUIRE(w.has_sparse_grad());
    const double lr = 0.1, eps = 1e-10;
    xg::optim::Adagrad opt({w}, {.lr = lr, .eps = eps});
    opt.step();
    const std::vector<std::pair<std::size_t, double>> touched = {{1, 0.5}, {7, 3.0}, {38, -1.5}};
    for (std::size_t r = 0; r < 40; ++r) {
      double g = 0;
      for (const auto& t : touched)
        if (t.first == r) g = t.second;
      for (std::size_t c = 0; c < width; ++c) {
        const double expected = g == 0 ? double(start(r, c)) : double(start(r, c)) - lr * g / (std::abs(g) + eps);
        CHECK(double(w.value()(r, c)) == doctest::Approx(expected).epsilon(1e-6));
      }
    }
  }
}

// Enough touched rows that rows narrower than a SIMD batch are copied into a
// block, updated there, and copied back (optim/detail/elementwise.hpp): every
// touched row moves by the first step of Adagrad (one state buffer) and of
// lazy Adam (two; m̂ = g and v̂ = g² after bias correction), both
// lr·g/(|g| + ε), and every other row stays as it was.
TEST_CASE_TEMPLATE("sparse optim: many narrow rows are updated exactly, and only they", S, float, double) {
  constexpr std::size_t vocabulary_rows = 64;
  for (const bool adam : {false, true})
    for (std::size_t width : {1u, 2u, 3u, 4u, 5u, 7u, 17u}) {
      CAPTURE(adam);
      CAPTURE(width);
      xg::manual_seed(5);
      auto w = xg::randn<S>({vocabulary_rows, width}, true);
      const xg::Array<S> start = w.value();
      // Row r of W is touched when r % 3 != 1, with the coefficient (r + 1) / 8,
      // negated for odd r; rows 0 and 3 are listed twice and their coefficients
      // add: row 3's, -4/8 + 0.5, to 0, so it is in the gradient and stays.
      xg::CsrMatrix<S> x{.rows = 2, .cols = vocabulary_rows, .row_ptr = {0}, .col = {}, .val = {}};
      std::vector<double> coefficient(vocabulary_rows, 0.0);
      for (std::size_t r = 0; r < vocabulary_rows; ++r) {
        if (r % 3 == 1) continue;
        const double c = (r % 2 ? -1.0 : 1.0) * static_cast<double>(r + 1) / 8;
        x.col.push_back(r);
        x.val.push_back(static_cast<S>(c));
        coefficient[r] += c;
      }
      x.row_ptr.push_back(x.col.size());
      for (std::size_t r : {0u, 3u}) {
        x.col.push_back(r);
        x.val.push_back(S(0.5));
        coefficient[r] += 0.5;
      }
      x.row_ptr.push_back(x.col.size());
      xg::sum(xg::sparse_matmul(x, w)).backward();
      REQUIRE(w.has_sparse_grad());
      const double lr = 0.1, eps = adam ? 1e-8 : 1e-10;
      if (adam)
        xg::optim::Adam<S>({w}, {.lr = lr, .eps = eps, .lazy = true}).step();
      else
        xg::optim::Adagrad<S>({w}, {.lr = lr, .eps = eps}).step();
      std::size_t moved = 0;
      for (std::size_t r = 0; r < vocabulary_rows; ++r) {
        const double g = coefficient[r];
        moved += g != 0;
        for (std::size_t c = 0; c < width; ++c) {
          if (g == 0) {
            CHECK(w.value()(r, c) == start(r, c));
            continue;
          }
          const double expected = double(start(r, c)) - lr * g / (std::abs(g) + eps);
          CHECK(double(w.value()(r, c)) == doctest::Approx(expected).epsilon(1e-6));
        }
      }
      CHECK(moved == 42);
    }
}
