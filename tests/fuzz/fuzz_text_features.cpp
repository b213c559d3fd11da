// libFuzzer target for the text pipeline: tokenize, Vocabulary and BagOfWords
// in every mode. The first two bytes choose min_count and max_size; the rest
// is split at newlines into texts, the first half fitted on, all transformed.
// Checked: every token is made of token bytes, every vocabulary word maps
// back to its index, weights are finite and non-negative, counts add up to
// the known tokens of each text, and tf-idf rows have unit or zero norm.

#include <algorithm>
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include <xgrad/datasets/bag_of_words.hpp>
#include <xgrad/datasets/tokenizer.hpp>
#include <xgrad/datasets/vocabulary.hpp>

namespace {

using namespace xg::datasets;

void check(bool ok) {
  if (!ok) __builtin_trap();
}

std::vector<std::string> split_lines(std::string_view text) {
  std::vector<std::string> lines;
  std::size_t start = 0;
  for (std::size_t i = 0; i <= text.size(); ++i)
    if (i == text.size() || text[i] == '\n') {
      lines.emplace_back(text.substr(start, i - start));
      start = i + 1;
    }
  return lines;
}

void check_bag_of_words(const std::vector<std::string>& texts, const VocabularyOptions& vocabulary,
                        BagOfWordsMode mode) {
  const std::vector<std::string> training(texts.begin(), texts.begin() + static_cast<long>((texts.size() + 1) / 2));
  BagOfWords bag({.mode = mode, .vocabulary = vocabulary});
  bag.fit(training);
  const auto dense = bag.transform(texts);
  const std::size_t columns = bag.num_features();
  check(dense.shape()[0] == texts.size() && dense.shape()[1] == columns);
  for (std::size_t r = 0; r < texts.size(); ++r) {
    double total = 0, squares = 0;
    std::size_t known = 0;
    for (const std::string& token : tokenize(texts[r])) known += bag.vocabulary().index(token) != 0;
    for (std::size_t c = 0; c < columns; ++c) {
      const double v = dense(r, c);
      check(std::isfinite(v) && v >= 0);
      total += v;
      squares += v * v;
    }
    check(dense(r, 0) == 0);
    if (mode == BagOfWordsMode::Counts) check(total == static_cast<double>(known));
    if (mode == BagOfWordsMode::TfIdf) check(known == 0 ? squares == 0 : std::abs(squares - 1) < 1e-4);
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size < 2) return 0;
  const VocabularyOptions vocabulary{.min_count = data[0] % 4u, .max_size = data[1] % 8u};
  const std::string_view text(reinterpret_cast<const char*>(data) + 2, size - 2);
  const std::vector<std::string> texts = split_lines(text);

  std::vector<std::vector<std::string>> documents;
  for (const std::string& t : texts) {
    documents.push_back(tokenize(t));
    for (const std::string& token : documents.back()) {
      check(!token.empty());
      for (const char c : token) check(is_token_byte(static_cast<unsigned char>(c)));
    }
  }
  const Vocabulary vocab(documents, vocabulary);
  check(vocab.size() >= 1 &&
        (vocabulary.max_size == 0 || vocab.size() <= std::max<std::size_t>(vocabulary.max_size, 1)));
  for (std::size_t i = 0; i < vocab.size(); ++i) check(vocab.index(vocab.word(i)) == i);

  for (const BagOfWordsMode mode : {BagOfWordsMode::Counts, BagOfWordsMode::Binary, BagOfWordsMode::TfIdf})
    check_bag_of_words(texts, vocabulary, mode);
  return 0;
}
