// Word vectors from the 3,000 bundled review sentences by skip-gram with
// negative sampling (word2vec: Mikolov et al. 2013): a word's vector in one
// nn::Embedding should score high against the words around it in another,
// and low against noise words. Each step touches only its batch's rows: the
// embeddings' gradients are row-sparse and Adagrad's row update on them is
// exact. Prints the nearest neighbours (cosine) of a few words; --out DIR
// also draws the 200 most frequent words on the top two principal axes of
// their vectors (embedding.svg) beside metrics.csv and the curves.
#include <cstdio>

#include <xgrad/xgrad.hpp>

#include <xgrad/examples/support/choose.hpp>
#include <xgrad/examples/support/cli.hpp>
#include <xgrad/examples/support/report.hpp>
#include "skipgram.hpp"

using namespace xg;

int main(int argc, char** argv) {
  const auto flags = examples::parse_flags(
      argc, argv, {.optimizer = "Adagrad", .lr = 0.1, .epochs = 10, .batch_size = 256, .seed = 0});
  manual_seed(flags.seed);
  auto [vocabulary, sentences] = examples::index_words(datasets::load_sentiment().texts, 5);
  // The last 300 sentences (a tenth of a smaller data folder) are held out:
  // the test accuracy tells their context words from noise words.
  const auto held = static_cast<std::ptrdiff_t>(std::min<std::size_t>(300, sentences.size() / 10));
  const std::vector<std::vector<std::size_t>> held_out(sentences.end() - held, sentences.end());
  sentences.resize(sentences.size() - held);
  const std::size_t words = vocabulary.size(), dim = 32;
  const examples::SkipGramSampler sampler(sentences, words, 2, 5), test_sampler(held_out, words, 2, 5);

  nn::Embedding centre(words, dim), context(words, dim);
  nn::init::uniform_(centre.weight, -0.5 / dim, 0.5 / dim);  // word2vec's start: small centres, zero contexts
  nn::init::zeros_(context.weight);
  auto opt =
      examples::make_optimizer(flags.optimizer, {{"centre", centre.weight}, {"context", context.weight}}, flags.lr);
  // -log σ(score) for a context word, -log σ(-score) for a noise word: the
  // cross-entropy of the logits (0, score) with those labels.
  auto loss_and_accuracy = [&](const examples::SkipGramBatch& b) {
    auto score = sum(centre(b.centers) * context(b.targets), {1}, true);
    auto logits = concat(std::vector<Tensor>{zeros<float>(to_shape(score.shape())), score}, 1);
    return std::pair{nn::functional::cross_entropy(logits, b.labels), nn::accuracy(logits, b.labels)};
  };
  examples::Reporter report("word_embeddings", flags.epochs, flags.out);
  const auto test_pairs = test_sampler.epoch_pairs(default_generator());
  const auto test_batch = test_sampler.batch(test_pairs, 0, test_pairs.size(), default_generator());
  const double start_loss = loss_and_accuracy(test_batch).first.item();  // log 2: every score is 0
  for (int epoch = 1; epoch <= flags.epochs; ++epoch) {
    const auto pairs = sampler.epoch_pairs(default_generator());
    double loss_sum = 0, correct = 0;
    for (std::size_t first = 0; first < pairs.size(); first += flags.batch_size) {
      const auto last = std::min(pairs.size(), first + flags.batch_size);
      auto [loss, accuracy] = loss_and_accuracy(sampler.batch(pairs, first, last, default_generator()));
      opt->zero_grad(true);
      loss.backward();
      opt->step();
      loss_sum += loss.item() * (last - first), correct += accuracy * (last - first);
    }
    no_grad guard;
    report.epoch({epoch, loss_sum / pairs.size(), correct / pairs.size(), loss_and_accuracy(test_batch).second});
  }
  report.finish();

  const Array<float> vectors = centre.weight.value();
  for (const char* word : {"good", "bad", "movie", "food", "phone"}) {
    std::printf("nearest %s:", word);
    for (std::size_t n : examples::nearest(vectors, vocabulary.index(word), 6))
      std::printf(" %s", vocabulary.word(n).c_str());
    std::printf("\n");
  }
  if (!flags.out.empty()) examples::draw_words(flags.out + "/embedding.svg", vectors, vocabulary, 200);
  no_grad guard;
  const auto [test_loss, test_accuracy] = loss_and_accuracy(test_batch);
  std::printf("word_embeddings words=%zu epochs=%d start_loss=%.4f final_loss=%.4f test_accuracy=%.3f seconds=%.2f\n",
              words, flags.epochs, start_loss, test_loss.item(), test_accuracy, report.seconds());
}
