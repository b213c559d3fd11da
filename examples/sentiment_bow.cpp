// Bag-of-words logistic regression on 3,000 labelled review sentences
// (amazon, imdb, yelp), trained with Adagrad: the sparse-feature problem
// Adagrad was made for. Also shows the words the model learnt and how well it
// carries over to reviews of another kind (train amazon+yelp, test imdb).
#include <algorithm>
#include <cstdio>
#include <numeric>

#include <xgrad/xgrad.hpp>

#include "support/choose.hpp"
#include "support/cli.hpp"
#include "support/evaluate.hpp"
#include "support/report.hpp"
#include "support/training_loop.hpp"

using namespace xg;

// Trains a fresh bag-of-words model on `train`, reporting each epoch on `test`.
nn::Linear fit(const datasets::TextDataset& train, const datasets::TextDataset& test, datasets::BagOfWords& bow,
               const examples::TrainFlags& flags, examples::Reporter& report) {
  const auto x_train = bow.fit_transform(train.texts), x_test = bow.transform(test.texts);
  nn::Linear model(bow.num_features(), 2);
  auto optimizer = examples::make_optimizer(flags.optimizer, model.named_parameters(), flags.lr);
  auto schedule = examples::make_schedule(flags.schedule, *optimizer, flags.epochs);
  datasets::DataLoader loader(x_train, train.labels, {.batch_size = flags.batch_size});
  examples::TrainingLoop training(model, *optimizer, schedule.get(), loader, flags);
  for (int epoch = training.first_epoch(); epoch <= flags.epochs; ++epoch) {
    const double loss = training.run_epoch(epoch);
    report.epoch({epoch, loss,
                  examples::evaluate_accuracy(model, x_train, train.labels),
                  examples::evaluate_accuracy(model, x_test, test.labels)});
  }
  training.finish();
  return model;
}

int main(int argc, char** argv) try {
  const auto flags = examples::parse_flags(
      argc, argv, {.optimizer = "Adagrad", .lr = 0.1, .epochs = 20, .batch_size = 32, .seed = 0});
  manual_seed(flags.seed);
  const auto data = datasets::load_sentiment();

  auto [train, test] = datasets::train_test_split(data, 0.2, flags.seed, /*stratify=*/true);
  datasets::BagOfWords bow;
  examples::Reporter report("sentiment_bow", flags.epochs, flags.out);
  const nn::Linear model = fit(train, test, bow, flags, report);
  report.finish();

  // A word's pull towards "positive" is the difference of its two logit weights.
  const auto& w = model.weight.value();
  std::vector<std::size_t> words(bow.num_features());
  std::iota(words.begin(), words.end(), 0);
  std::sort(words.begin(), words.end(), [&](auto a, auto b) { return w(1, a) - w(0, a) > w(1, b) - w(0, b); });
  std::printf("most positive:");
  for (std::size_t i = 0; i < 10; ++i) std::printf(" %s", bow.vocabulary().word(words[i]).c_str());
  std::printf("\nmost negative:");
  for (std::size_t i = 0; i < 10; ++i) std::printf(" %s", bow.vocabulary().word(words[words.size() - 1 - i]).c_str());

  std::vector<std::size_t> imdb, others;
  for (std::size_t i = 0; i < data.size(); ++i) (data.sources[i] == "imdb" ? imdb : others).push_back(i);
  datasets::BagOfWords cross_bow;
  examples::Reporter cross_report("sentiment_bow cross-domain", flags.epochs, "");
  std::printf("\ntraining on amazon+yelp, testing on imdb:\n");
  // Checkpoints and the saved model are those of the main run.
  auto cross_flags = flags;
  cross_flags.checkpoint.clear();
  cross_flags.checkpoint_every = 0;
  cross_flags.save_model.clear();
  fit(datasets::subset(data, others), datasets::subset(data, imdb), cross_bow, cross_flags, cross_report);

  const auto& last = report.history().back();
  std::printf("sentiment_bow optimizer=%s epochs=%d train_accuracy=%.3f test_accuracy=%.3f imdb_accuracy=%.3f "
              "seconds=%.2f\n", flags.optimizer.c_str(), flags.epochs, last.train_accuracy, last.test_accuracy,
              cross_report.history().back().test_accuracy, report.seconds());
} catch (const std::exception& e) {
  std::fprintf(stderr, "sentiment_bow: %s\n", e.what());
  return 1;
}
