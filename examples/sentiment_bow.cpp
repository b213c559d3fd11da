// Bag-of-words logistic regression on 3,000 labelled review sentences
// (amazon, imdb, yelp) with Adagrad, the sparse-feature problem it was made
// for; prints the words it learnt and how well it carries over to reviews of
// another kind (train amazon+yelp, test imdb). The counts stay sparse (CSR),
// the weights in an EmbeddingBag: a step touches only its batch's rows, and
// Adagrad's update of those alone is exact (--dense: nn::Linear, dense rows).
// `mpirun -np 2 sentiment_bow --distributed --batch-size 16` trains it
// data-parallel (gradients sent as rows) and ends as --batch-size 32 does.
#include <cstdio>

#include <xgrad/examples/support/bag_of_words.hpp>
#include <xgrad/examples/support/checkpoints.hpp>
#include <xgrad/examples/support/choose.hpp>
#include <xgrad/examples/support/cli.hpp>
#include <xgrad/examples/support/distributed.hpp>
#include <xgrad/examples/support/report.hpp>
#include <xgrad/xgrad.hpp>

using namespace xg;

// Trains a fresh model of data.train's words (the checkpoint flags apply), reporting each epoch on data.test.
examples::WordWeights fit(const examples::TextSplit& data, const examples::TrainFlags& flags,
                          examples::Reporter& report, examples::Distributed& distributed) {
  return examples::fit_bag_of_words(
      data, flags.dense, distributed.shard({.batch_size = flags.batch_size}),
      [&](auto& model, auto& loader, const auto& x_train, const auto& x_test) {
        auto opt = examples::make_optimizer(flags.optimizer, model.named_parameters(), flags.lr);
        auto schedule = examples::make_schedule(flags.schedule, *opt, flags.epochs);
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
          report.epoch({epoch, loss, examples::evaluate_accuracy(model, x_train, data.train.labels),
                        examples::evaluate_accuracy(model, x_test, data.test.labels)});
        }
        checkpoints.finish();
      });
}

int run_example(const examples::TrainFlags& flags, examples::Distributed& distributed) {
  manual_seed(flags.seed);
  const auto data = datasets::load_sentiment();
  examples::Reporter report("sentiment_bow", flags.epochs, flags.out);
  const auto words =
      fit(datasets::train_test_split(data, 0.2, flags.seed, /*stratify=*/true), flags, report, distributed);
  if (distributed.reports() && !report.history().empty()) report.finish();
  if (distributed.reports()) examples::print_top_words(words);
  if (distributed.reports()) std::printf("training on amazon+yelp, testing on imdb:\n");
  examples::Reporter cross_report("sentiment_bow cross-domain", flags.epochs, "");
  fit(examples::split_by_source(data, "imdb"), examples::without_checkpoints(flags), cross_report, distributed);
  distributed.print_bytes("sentiment_bow");
  if (!distributed.reports() || report.history().empty()) return 0;  // empty: resumed a finished run
  std::printf(
      "sentiment_bow optimizer=%s inputs=%s epochs=%d train_accuracy=%.3f test_accuracy=%.3f "
      "imdb_accuracy=%.3f seconds=%.2f\n",
      flags.optimizer.c_str(), flags.dense ? "dense" : "sparse", flags.epochs, report.last().train_accuracy,
      report.last().test_accuracy, cross_report.last().test_accuracy, report.seconds());
  return 0;
}

int main(int argc, char** argv) {
  const auto flags =
      examples::parse_flags(argc, argv, {.optimizer = "Adagrad", .lr = 0.1, .epochs = 20, .batch_size = 32, .seed = 0});
  return examples::run("sentiment_bow", argc, argv, flags, run_example);
}
