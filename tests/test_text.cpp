// Tokenizer, vocabulary and bag-of-words vectorizer on hand-written text.

#include <doctest/doctest.h>

#include <cmath>
#include <string>
#include <vector>

#include <xgrad/xgrad.hpp>

namespace ds = xg::datasets;

using Words = std::vector<std::string>;

TEST_CASE("text: tokenize lowercases and splits on non-alphanumerics") {
  CHECK(ds::tokenize("Hello, World! It's 2024...") == Words{"hello", "world", "it", "s", "2024"});
  CHECK(ds::tokenize("  tabs\tand\nnew-lines\r\n") == Words{"tabs", "and", "new", "lines"});
  CHECK(ds::tokenize("").empty());
  CHECK(ds::tokenize(" ,.;!? -- ").empty());
  CHECK(ds::tokenize(std::string("nul\0byte", 8)) == Words{"nul", "byte"});
  // UTF-8 bytes count as letters: "Café" keeps its two-byte "é" (C3 A9), unchanged.
  CHECK(ds::tokenize("Caf\xC3\xA9 AU lait") == Words{"caf\xC3\xA9", "au", "lait"});
  CHECK(ds::tokenize("x\xE2\x80\x94y") == Words{"x\xE2\x80\x94y"});  // an em dash is not split on
}

TEST_CASE("text: vocabulary orders by count then alphabetically, unknown first") {
  const std::vector<Words> docs = {{"b", "a", "b", "c"}, {"a", "b", "d"}};
  // Counts: b 3, a 2, c 1, d 1.
  const ds::Vocabulary v(docs);
  CHECK(v.words() == Words{"<unk>", "b", "a", "c", "d"});
  CHECK(v.size() == 5);
  CHECK(v.index("b") == 1);
  CHECK(v.index("d") == 4);
  CHECK(v.index("zebra") == ds::Vocabulary::unknown_index);
  CHECK(v.word(0) == "<unk>");
  CHECK(v.word(3) == "c");
  CHECK(v.contains("c"));
  CHECK_FALSE(v.contains("zebra"));
  CHECK_THROWS_AS(v.word(5), std::invalid_argument);

  CHECK(ds::Vocabulary(docs, {.min_count = 2}).words() == Words{"<unk>", "b", "a"});
  CHECK(ds::Vocabulary(docs, {.max_size = 3}).words() == Words{"<unk>", "b", "a"});
  CHECK(ds::Vocabulary(docs, {.max_size = 1}).words() == Words{"<unk>"});
  const ds::Vocabulary custom(docs, {.unknown_token = "UNK"});
  CHECK(custom.word(0) == "UNK");
  CHECK(custom.unknown_token() == "UNK");
  // The unknown token met as a word is not a second entry.
  CHECK(ds::Vocabulary({{"<unk>", "<unk>", "x"}}).words() == Words{"<unk>", "x"});
  CHECK(ds::Vocabulary().words() == Words{"<unk>"});
}

TEST_CASE("text: bag of words counts and binary on hand-written sentences") {
  // Training texts give counts a 2, b 2, c 1 -> columns <unk>, a, b, c.
  const Words train = {"A b, B!", "a c"};
  ds::BagOfWords counts;
  const auto x = counts.fit_transform(train);
  CHECK(counts.vocabulary().words() == Words{"<unk>", "a", "b", "c"});
  REQUIRE(x.shape()[0] == 2);
  REQUIRE(x.shape()[1] == 4);
  CHECK(x(0, 0) == 0.0f);
  CHECK(x(0, 1) == 1.0f);
  CHECK(x(0, 2) == 2.0f);
  CHECK(x(0, 3) == 0.0f);
  CHECK(x(1, 1) == 1.0f);
  CHECK(x(1, 3) == 1.0f);
  // Words outside the vocabulary are dropped, so column 0 stays zero.
  const auto y = counts.transform({"b a b z z", ""});
  CHECK(y(0, 0) == 0.0f);
  CHECK(y(0, 1) == 1.0f);
  CHECK(y(0, 2) == 2.0f);
  CHECK(y(1, 1) == 0.0f);

  ds::BagOfWords binary({.mode = ds::BagOfWordsMode::Binary});
  const auto b = binary.fit(train).transform({"b a b z"});
  CHECK(b(0, 0) == 0.0f);
  CHECK(b(0, 1) == 1.0f);
  CHECK(b(0, 2) == 1.0f);
  CHECK(b(0, 3) == 0.0f);
  CHECK(binary.idf().empty());

  CHECK_THROWS_AS(ds::BagOfWords().transform(train), std::logic_error);
}

TEST_CASE("text: tf-idf worked by hand") {
  // n = 2 texts; document frequencies a 2, b 1, c 1.
  // idf = ln((1 + n) / (1 + df)) + 1: a -> ln(3/3) + 1 = 1, b and c -> ln(3/2) + 1 = 1.4054651081.
  // "a b b": tf a 1, b 2 -> (1, 2.8109302162) / sqrt(1 + 2.8109302162^2) = (0.3351757433, 0.9421556247).
  ds::BagOfWords tfidf({.mode = ds::BagOfWordsMode::TfIdf});
  const auto x = tfidf.fit_transform({"a b b", "a c"});
  REQUIRE(tfidf.idf().size() == 4);
  CHECK(tfidf.idf()[1] == doctest::Approx(1.0));
  CHECK(tfidf.idf()[2] == doctest::Approx(1.4054651081));
  CHECK(tfidf.idf()[3] == doctest::Approx(1.4054651081));
  CHECK(x(0, 0) == 0.0f);
  CHECK(x(0, 1) == doctest::Approx(0.3351757433));
  CHECK(x(0, 2) == doctest::Approx(0.9421556247));
  CHECK(x(0, 3) == 0.0f);
  // "a c": (1, 1.4054651081) / sqrt(1 + 1.4054651081^2) = (0.5797386716, 0.8148024747).
  CHECK(x(1, 1) == doctest::Approx(0.5797386716));
  CHECK(x(1, 3) == doctest::Approx(0.8148024747));
  // Unseen words only: an all-zero row, not a division by zero.
  const auto z = tfidf.transform({"zzz", "c c zzz"});
  for (std::size_t j = 0; j < 4; ++j) CHECK(z(0, j) == 0.0f);
  CHECK(z(1, 3) == doctest::Approx(1.0));
}

TEST_CASE("text: sparse rows hold the same values as the dense matrix") {
  ds::BagOfWords counts;
  counts.fit({"a b b", "a c"});
  const auto m = counts.transform_sparse({"c b b a", "", "z c"});
  CHECK(m.rows == 3);
  CHECK(m.cols == 4);
  CHECK(m.row_ptr == std::vector<std::size_t>{0, 3, 3, 4});
  CHECK(m.col == std::vector<std::size_t>{1, 2, 3, 3});
  CHECK(m.val == std::vector<float>{1, 2, 1, 1});
  const auto dense = xg::to_dense(m);
  CHECK(dense(0, 2) == 2.0f);
  CHECK(dense(2, 3) == 1.0f);
  CHECK(dense(1, 1) == 0.0f);

  xg::CsrMatrix<float> broken = m;
  broken.col[0] = 4;
  CHECK_THROWS_AS(xg::to_dense(broken), std::invalid_argument);
  broken = m;
  broken.row_ptr.pop_back();
  CHECK_THROWS_AS(xg::to_dense(broken), std::invalid_argument);
  const xg::CsrMatrix<float> huge{.rows = 2, .cols = std::size_t{1} << 63, .row_ptr = {0, 0, 0}};
  CHECK_THROWS_AS(xg::to_dense(huge), std::invalid_argument);  // 2^64 elements would wrap to 0
}

TEST_CASE("text: vectorizing the sentiment data set") {
  const auto [train, test] = ds::train_test_split(ds::load_sentiment(), 0.2, 0, true);
  ds::BagOfWords vectorizer({.mode = ds::BagOfWordsMode::TfIdf, .vocabulary = {.min_count = 2}});
  vectorizer.fit(train.texts);
  CHECK(vectorizer.vocabulary().word(1) == "the");  // the most frequent English word
  const auto sparse = vectorizer.transform_sparse(test.texts);
  CHECK(sparse.rows == 600);
  CHECK(sparse.cols == vectorizer.vocabulary().size());
  CHECK(sparse.row_ptr.size() == 601);
  CHECK(sparse.nnz() > 600);
  // Each row with a known word has unit length.
  for (std::size_t r = 0; r < sparse.rows; ++r) {
    double squares = 0;
    for (auto k = sparse.row_ptr[r]; k < sparse.row_ptr[r + 1]; ++k) squares += sparse.val[k] * sparse.val[k];
    if (sparse.row_ptr[r + 1] > sparse.row_ptr[r]) CHECK(squares == doctest::Approx(1.0).epsilon(1e-5));
  }
  const std::vector<std::string> first(test.texts.begin(), test.texts.begin() + 5);
  const auto dense = vectorizer.transform(first);
  for (std::size_t r = 0; r < first.size(); ++r)
    for (auto k = sparse.row_ptr[r]; k < sparse.row_ptr[r + 1]; ++k) CHECK(dense(r, sparse.col[k]) == sparse.val[k]);
}
