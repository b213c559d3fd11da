// Bag-of-words logistic regression on 3,000 labelled review sentences
// (amazon, imdb, yelp), trained with Adagrad: the sparse-feature problem
// Adagrad was made for. Also shows the words the model learnt and how well it
// carries over to reviews of another kind (train amazon+yelp, test imdb).
//
// By default the counts stay sparse (CSR) and the weights live in an
// EmbeddingBag, so a step touches only the rows of the words in its batch;
// Adagrad's update of those rows alone is exact. --dense trains nn::Linear on
// the dense count matrix instead. `mpirun -np 2 sentiment_bow --distributed
// --batch-size 16` trains it data-parallel, the sparse gradients exchanged as
// rows, and ends as one process with --batch-size 32 does.
#include <algorithm>
#include <cmath>
#include <cstdio>
#include <numeric>

#include <xgrad/xgrad.hpp>

#include <xgrad/examples/support/checkpoints.hpp>
#include <xgrad/examples/support/choose.hpp>
#include <xgrad/examples/support/cli.hpp>
#include <xgrad/examples/support/distributed.hpp>
#include <xgrad/examples/support/evaluate.hpp>
#include <xgrad/examples/support/report.hpp>

using namespace xg;

// logits = x·W + b on sparse counts x, W in an EmbeddingBag (sum). W and b
// are drawn as nn::Linear draws its own, as many numbers from the default
// generator, so that both paths then shuffle their batches alike.
class SparseBagOfWords : public nn::Module {
 public:
  SparseBagOfWords(std::size_t words, std::size_t classes)
      : bag(words, classes, {.mode = nn::EmbeddingBagMode::sum}, overwritten_draws()),
        bias(zeros<float>({classes}, true)) {
    const double bound = 1.0 / std::sqrt(static_cast<double>(words));
    nn::init::uniform_(bag.weight, -bound, bound);
    nn::init::uniform_(bias, -bound, bound);
  }
  Tensor forward(const CsrMatrix<float>& x) { return bag(x) + bias; }
  Tensor forward(const Tensor& x) override { return bag(x) + bias; }
  Tensor operator()(const CsrMatrix<float>& x) { return forward(x); }
  using Module::operator();

  nn::EmbeddingBag bag;
  Tensor bias;

 protected:
  static Generator& overwritten_draws() {
    static Generator generator;
    return generator;
  }
  NamedTensors<float> local_parameters() const override { return {{"weight", bag.weight}, {"bias", bias}}; }
};

double accuracy(nn::Linear& model, const Array<float>& x, const std::vector<std::size_t>& labels) {
  return examples::evaluate_accuracy(model, x, labels);
}

double accuracy(SparseBagOfWords& model, const CsrMatrix<float>& x, const std::vector<std::size_t>& labels) {
  no_grad guard;
  return nn::accuracy(model(x), labels);
}

// Trains `model` on the rows of x_train, where the checkpoint flags take
// effect, reporting each epoch on x_test.
template <class Loader, class Model, class Features>
void train_and_report(Model& model, Features x_train, const Features& x_test, const datasets::TextDataset& train,
                      const datasets::TextDataset& test, const examples::TrainFlags& flags, examples::Reporter& report,
                      examples::Distributed& distributed) {
  auto opt = examples::make_optimizer(flags.optimizer, model.named_parameters(), flags.lr);
  auto schedule = examples::make_schedule(flags.schedule, *opt, flags.epochs);
  Loader loader(x_train, train.labels, distributed.shard({.batch_size = flags.batch_size}));
  examples::Checkpoints checkpoints(flags, model, *opt, schedule.get(), loader, distributed.checkpoint_options());
  distributed.start(model);
  for (auto at = checkpoints.resume(); at.epoch <= flags.epochs;) {
    for (const auto& batch : loader) {
      // Through a closure, which LBFGS evaluates more than once.
      const double loss = opt->step([&] {
        opt->zero_grad();
        auto loss = nn::functional::cross_entropy(model(batch.x), batch.y);
        loss.backward();
        distributed.average_gradients(model, batch.y.size());
        return loss.item();
      });
      checkpoints.batch_done(at, loss, batch.y.size());
    }
    const int epoch = at.epoch;
    const double loss = checkpoints.epoch_done(at) / double(loader.num_samples());
    if (schedule) schedule->step();
    if (!distributed.reports()) continue;
    examples::EvaluateAtAverage at_average(*opt);  // Schedule-Free: evaluated at its average x
    report.epoch({epoch, loss, accuracy(model, x_train, train.labels), accuracy(model, x_test, test.labels)});
  }
  checkpoints.finish();
}

// Trains a fresh bag-of-words model on `train`, reporting each epoch on
// `test`; returns each word's weights for the two classes, (words, 2).
Array<float> fit(const datasets::TextDataset& train, const datasets::TextDataset& test, datasets::BagOfWords& bow,
                 const examples::TrainFlags& flags, examples::Reporter& report, examples::Distributed& distributed) {
  bow.fit(train.texts);
  if (flags.dense) {
    nn::Linear model(bow.num_features(), 2);
    train_and_report<datasets::DataLoader>(model, bow.transform(train.texts), bow.transform(test.texts), train, test,
                                           flags, report, distributed);
    return xt::transpose(model.weight.value());
  }
  SparseBagOfWords model(bow.num_features(), 2);
  train_and_report<datasets::CsrDataLoader>(model, bow.transform_sparse(train.texts), bow.transform_sparse(test.texts),
                                            train, test, flags, report, distributed);
  return model.bag.weight.value();
}

// The ten words pulling hardest towards each class: a word's pull towards
// "positive" is the difference of its two logit weights.
void print_words(const datasets::BagOfWords& bow, const Array<float>& w) {
  std::vector<std::size_t> words(bow.num_features());
  std::iota(words.begin(), words.end(), 0);
  std::sort(words.begin(), words.end(), [&](auto a, auto b) { return w(a, 1) - w(a, 0) > w(b, 1) - w(b, 0); });
  // A data folder of a few sentences may hold fewer than ten words.
  const std::size_t shown = std::min<std::size_t>(10, words.size());
  std::printf("most positive:");
  for (std::size_t i = 0; i < shown; ++i) std::printf(" %s", bow.vocabulary().word(words[i]).c_str());
  std::printf("\nmost negative:");
  for (std::size_t i = 0; i < shown; ++i)
    std::printf(" %s", bow.vocabulary().word(words[words.size() - 1 - i]).c_str());
}

int run_example(const examples::TrainFlags& flags, examples::Distributed& distributed) {
  manual_seed(flags.seed);
  const auto data = datasets::load_sentiment();

  auto [train, test] = datasets::train_test_split(data, 0.2, flags.seed, /*stratify=*/true);
  datasets::BagOfWords bow;
  examples::Reporter report("sentiment_bow", flags.epochs, flags.out);
  const Array<float> w = fit(train, test, bow, flags, report, distributed);
  if (distributed.reports() && !report.history().empty()) report.finish();

  if (distributed.reports()) {
    print_words(bow, w);
    std::printf("\ntraining on amazon+yelp, testing on imdb:\n");
  }

  std::vector<std::size_t> imdb, others;
  for (std::size_t i = 0; i < data.size(); ++i) (data.sources[i] == "imdb" ? imdb : others).push_back(i);
  datasets::BagOfWords cross_bow;
  examples::Reporter cross_report("sentiment_bow cross-domain", flags.epochs, "");
  // Checkpoints and the saved model are those of the main run.
  auto cross_flags = flags;
  cross_flags.checkpoint.clear();
  cross_flags.checkpoint_every = 0;
  cross_flags.save_model.clear();
  fit(datasets::subset(data, others), datasets::subset(data, imdb), cross_bow, cross_flags, cross_report, distributed);
  distributed.print_bytes("sentiment_bow");
  if (!distributed.reports()) return 0;

  if (report.history().empty()) return 0;  // resumed a finished run
  const auto& last = report.history().back();
  std::printf(
      "sentiment_bow optimizer=%s inputs=%s epochs=%d train_accuracy=%.3f test_accuracy=%.3f "
      "imdb_accuracy=%.3f seconds=%.2f\n",
      flags.optimizer.c_str(), flags.dense ? "dense" : "sparse", flags.epochs, last.train_accuracy, last.test_accuracy,
      cross_report.history().back().test_accuracy, report.seconds());
  return 0;
}

int main(int argc, char** argv) {
  const auto flags =
      examples::parse_flags(argc, argv, {.optimizer = "Adagrad", .lr = 0.1, .epochs = 20, .batch_size = 32, .seed = 0});
  return examples::run("sentiment_bow", argc, argv, flags, run_example);
}
