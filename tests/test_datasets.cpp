// Bundled data sets, their loaders and the errors they give, splits,
// standardization and mini-batching.

#include <doctest/doctest.h>

#include <algorithm>
#include <cmath>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <numeric>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include <unistd.h>

#include <xgrad/xgrad.hpp>

#include "exception_message.hpp"

namespace ds = xg::datasets;

namespace {

using xg::testing::contains;
using xg::testing::message_of;

// A fresh directory, removed with everything in it at the end of the test.
class TempDir {
 public:
  TempDir() {
    static int counter = 0;
    path_ = std::filesystem::temp_directory_path() /
            ("xgrad_data_test_" + std::to_string(::getpid()) + "_" + std::to_string(counter++));
    std::filesystem::remove_all(path_);
    std::filesystem::create_directories(path_);
  }
  ~TempDir() {
    std::error_code ec;
    std::filesystem::remove_all(path_, ec);
  }
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;

  std::string path() const { return path_.string(); }
  std::string write(const std::string& name, const std::string& content) const {
    const auto file = path_ / name;
    std::ofstream(file, std::ios::binary) << content;
    return file.string();
  }

 private:
  std::filesystem::path path_;
};

// Sets an environment variable for the scope of the test, then restores it.
class ScopedEnv {
 public:
  ScopedEnv(const char* name, const std::string& value) : name_(name) {
    if (const char* old = std::getenv(name)) previous_ = old;
    ::setenv(name, value.c_str(), 1);
  }
  ~ScopedEnv() {
    if (previous_)
      ::setenv(name_, previous_->c_str(), 1);
    else
      ::unsetenv(name_);
  }
  ScopedEnv(const ScopedEnv&) = delete;
  ScopedEnv& operator=(const ScopedEnv&) = delete;

 private:
  const char* name_;
  std::optional<std::string> previous_;
};

// The message of the DataError `f` throws; fails the test when it throws none.
template <class F>
std::string data_error_message(F&& f) {
  try {
    f();
  } catch (const ds::DataError& e) {
    return e.what();
  }
  FAIL("no DataError thrown");
  return {};
}

std::vector<std::size_t> class_counts(const std::vector<std::size_t>& labels, std::size_t classes) {
  std::vector<std::size_t> counts(classes, 0);
  for (auto l : labels) ++counts.at(l);
  return counts;
}

ds::Dataset numbered_rows(std::size_t n) {
  ds::Dataset d{xg::Array<float>::from_shape({n, 2}), {}, {}};
  for (std::size_t i = 0; i < n; ++i) {
    d.features(i, 0) = static_cast<float>(i);
    d.features(i, 1) = static_cast<float>(10 * i);
    d.labels.push_back(i);
  }
  return d;
}

// The labels of one epoch, batch after batch, checking each x row against
// its label (row i of numbered_rows holds i and 10 i).
std::vector<std::size_t> epoch_order(ds::DataLoader& loader) {
  std::vector<std::size_t> order;
  for (auto [x, y] : loader) {
    REQUIRE(x.shape()[0] == y.size());
    for (std::size_t r = 0; r < y.size(); ++r) {
      CHECK(x.value()(r, 0) == static_cast<float>(y[r]));
      CHECK(x.value()(r, 1) == static_cast<float>(10 * y[r]));
    }
    order.insert(order.end(), y.begin(), y.end());
  }
  return order;
}

}  // namespace

// ---------------------------------------------------------------- loaders

TEST_CASE("datasets: iris has 150 rows of 4 features, 50 per class") {
  const auto iris = ds::load_iris();
  CHECK(iris.size() == 150);
  CHECK(iris.num_features() == 4);
  CHECK(iris.class_names == std::vector<std::string>{"setosa", "versicolor", "virginica"});
  CHECK(class_counts(iris.labels, 3) == std::vector<std::size_t>{50, 50, 50});
  // First and last data lines of iris.csv: "5.1,3.5,1.4,0.2,0" and "5.9,3.0,5.1,1.8,2".
  CHECK(iris.features(0, 0) == 5.1f);
  CHECK(iris.features(0, 1) == 3.5f);
  CHECK(iris.features(0, 2) == 1.4f);
  CHECK(iris.features(0, 3) == 0.2f);
  CHECK(iris.labels.front() == 0);
  CHECK(iris.features(149, 0) == 5.9f);
  CHECK(iris.features(149, 3) == 1.8f);
  CHECK(iris.labels.back() == 2);
}

TEST_CASE("datasets: digits has 1797 rows of 64 pixel counts, 10 classes") {
  const auto digits = ds::load_digits();
  CHECK(digits.size() == 1797);
  CHECK(digits.num_features() == 64);
  CHECK(digits.num_classes() == 10);
  CHECK(digits.class_names.front() == "0");
  CHECK(digits.class_names.back() == "9");
  // Class sizes of the UCI test set as sklearn's load_digits documents them.
  CHECK(class_counts(digits.labels, 10) == std::vector<std::size_t>{178, 182, 177, 183, 181, 182, 181, 179, 174, 180});
  // First line of digits.csv starts "0,0,5,13,9,1,0,0," and ends with label 0.
  CHECK(digits.features(0, 2) == 5.0f);
  CHECK(digits.features(0, 3) == 13.0f);
  CHECK(digits.labels.front() == 0);
  CHECK(digits.labels.back() == 8);
  CHECK(*std::max_element(digits.features.begin(), digits.features.end()) == 16.0f);
  CHECK(*std::min_element(digits.features.begin(), digits.features.end()) == 0.0f);
}

TEST_CASE("datasets: sentiment has 3000 sentences, 1000 per source, 500 positive each") {
  const auto s = ds::load_sentiment();
  CHECK(s.size() == 3000);
  CHECK(s.labels.size() == 3000);
  CHECK(s.sources.size() == 3000);
  CHECK(s.class_names == std::vector<std::string>{"negative", "positive"});
  CHECK(class_counts(s.labels, 2) == std::vector<std::size_t>{1500, 1500});
  for (const std::string source : {"amazon", "imdb", "yelp"}) {
    std::size_t total = 0, positive = 0;
    for (std::size_t i = 0; i < s.size(); ++i)
      if (s.sources[i] == source) {
        ++total;
        positive += s.labels[i];
      }
    CHECK_MESSAGE(total == 1000, source);
    CHECK_MESSAGE(positive == 500, source);
  }
  CHECK(s.sources.front() == "amazon");
  CHECK(s.labels.front() == 0);
  CHECK(s.texts.front() == "So there is no way for me to plug it in here in the US unless I go by a converter.");
  CHECK(s.sources[1000] == "imdb");
  CHECK(s.texts[1000] == "A very, very, very slow-moving, aimless movie about a distressed, drifting young man.");
}

TEST_CASE("datasets: a given folder is the only place looked; without one, XGRAD_DATA first") {
  TempDir dir, env_dir;
  {
    ScopedEnv env("XGRAD_DATA", env_dir.path());
    CHECK(ds::data_search_path(dir.path()) == std::vector<std::string>{dir.path()});
    const auto path = ds::data_search_path();
    REQUIRE(path.size() == 3);
    CHECK(path[0] == env_dir.path());
    // A folder given explicitly that lacks the file is an error naming it,
    // not a quiet fall back to the bundled copy.
    const auto message = data_error_message([&] { ds::load_iris(dir.path()); });
    CHECK_MESSAGE(contains(message, "iris.csv: not found in the given folder " + dir.path()), message);
    CHECK(contains(data_error_message([] { ds::load_digits("/nonexistent"); }), "/nonexistent"));
    // Without a folder, files missing from XGRAD_DATA come from the build's copy.
    CHECK(ds::load_iris().size() == 150);
  }
  ScopedEnv empty("XGRAD_DATA", "");
  CHECK(ds::data_search_path().size() == 2);
}

TEST_CASE("datasets: a data file that is a directory or unreadable in the given folder is refused") {
  TempDir dir;
  std::filesystem::create_directories(std::filesystem::path(dir.path()) / "iris.csv");
  const auto message = data_error_message([&] { ds::load_iris(dir.path()); });
  CHECK_MESSAGE(contains(message, "iris.csv: is not a regular file"), message);
  CHECK(contains(message, dir.path()));
  if (::geteuid() != 0) {  // root reads files whatever their mode
    const auto file = dir.write("digits.csv", "0\n");
    std::filesystem::permissions(file, std::filesystem::perms::none);
    CHECK(contains(data_error_message([&] { ds::load_digits(dir.path()); }), file + ": cannot be read"));
  }
}

TEST_CASE("datasets: a file with too few rows for a split names the file and the row count") {
  TempDir dir;
  const auto file = dir.write("iris.csv", "1,4,a\n1,2,3,4,0\n");
  const auto one_row = ds::load_iris(dir.path());
  const auto message =
      xg::testing::message_of<std::invalid_argument>([&] { ds::train_test_split(one_row, 0.2, 0, true); });
  CHECK_MESSAGE(contains(message, "'" + file + "' has 1 rows: test_fraction 0.200000 leaves the train part empty"),
                message);
}

TEST_CASE("datasets: XGRAD_DATA is honoured before the built-in directory") {
  TempDir dir;
  const auto file = dir.write("iris.csv", "1,4,a\n1,2,3,oops,0\n");
  ScopedEnv env("XGRAD_DATA", dir.path());
  const auto message = data_error_message([] { ds::load_iris(); });
  CHECK(contains(message, file + ":2: field 4: 'oops' is not a finite number"));
}

TEST_CASE("datasets: a missing file names every place looked") {
  TempDir dir;
  ScopedEnv env("XGRAD_DATA", dir.path() + "/elsewhere");
  const auto message = data_error_message([&] { ds::find_data_file("no_such_file.csv"); });
  CHECK(contains(message, "no_such_file.csv: not found"));
  for (const auto& place : ds::data_search_path())
    CHECK_MESSAGE(contains(message, (std::filesystem::path(place) / "no_such_file.csv").string()), message);
  CHECK(contains(data_error_message([&] { ds::read_text_file(dir.path()); }), dir.path()));
}

TEST_CASE("datasets: malformed iris files name the file and the line") {
  TempDir dir;
  auto error_of = [&](const std::string& content) {
    const auto file = dir.write("iris.csv", content);
    const auto message = data_error_message([&] { ds::load_iris(dir.path()); });
    CHECK_MESSAGE(message.rfind(file + ":", 0) == 0, message);
    return message.substr(file.size());
  };
  CHECK(error_of("") == ":1: empty file, expected the header '<rows>,<features>,<class name>,...'");
  CHECK(contains(error_of("setosa,4,a\n"), ":1: bad header 'setosa,4,a'"));
  CHECK(contains(error_of("2,4\n"), ":1: bad header"));
  CHECK(contains(error_of("1,4,a,\n"), ":1: bad header: class name 2 is empty"));
  CHECK(error_of("2,4,a,b\n1,2,3,4,0\n1,2,3,1\n") ==
        ":3: expected 4 features and a label, comma-separated, found 4 fields");
  CHECK(error_of("1,4,a,b\n1,2,x3,4,0\n") == ":2: field 3: 'x3' is not a finite number");
  CHECK(error_of("1,4,a,b\n1,2,nan,4,0\n") == ":2: field 3: 'nan' is not a finite number");
  CHECK(error_of("1,4,a,b\n1,2,1e99,4,0\n") == ":2: field 3: '1e99' is not a finite number");
  CHECK(error_of("1,4,a,b\n1,2,3,4,2\n") == ":2: label '2' is not an integer in 0..1");
  CHECK(error_of("1,4,a,b\n1,2,3,4,-1\n") == ":2: label '-1' is not an integer in 0..1");
  CHECK(error_of("1,4,a,b\n1,2,3,4,0.5\n") == ":2: label '0.5' is not an integer in 0..1");
  CHECK(error_of("3,4,a,b\n1,2,3,4,0\n\n1,2,3,4,1\n") == ":1: the header announces 3 rows, the file has 2");
  CHECK(error_of("1,4,a,b\n1,2,3,4,0\n1,2,3,4,1\n") == ":3: more rows than the 1 the header announces");
}

TEST_CASE("datasets: iris parsing accepts CRLF, a byte order mark, spaces and blank lines") {
  const auto d = ds::parse_iris_csv(
      "\xEF\xBB\xBF"
      "2,2,a,b\r\n 1.5 , -2 ,1\r\n\r\n3,4e-1,0\r\n",
      "mem.csv");
  REQUIRE(d.size() == 2);
  CHECK(d.class_names == std::vector<std::string>{"a", "b"});
  CHECK(d.features(0, 0) == 1.5f);
  CHECK(d.features(0, 1) == -2.0f);
  CHECK(d.features(1, 1) == 0.4f);
  CHECK(d.labels == std::vector<std::size_t>{1, 0});
}

TEST_CASE("datasets: malformed digits and sentiment files name the file and the line") {
  std::string row;
  for (int i = 0; i < 64; ++i) row += std::to_string(i % 17) + ",";
  CHECK(ds::parse_digits_csv(row + "7\n", "d.csv").labels == std::vector<std::size_t>{7});
  CHECK(data_error_message([] { ds::parse_digits_csv("", "d.csv"); }) ==
        "d.csv:1: no rows, expected 64 pixel counts and a label per line");
  CHECK(data_error_message([&] { ds::parse_digits_csv(row + "7\n" + row + "10\n", "d.csv"); }) ==
        "d.csv:2: label '10' is not an integer in 0..9");
  CHECK(data_error_message([&] { ds::parse_digits_csv(row + "7\n17," + row.substr(2) + "1\n", "d.csv"); }) ==
        "d.csv:2: field 1: '17' is not a pixel count in 0..16");
  CHECK(data_error_message([&] { ds::parse_digits_csv(row + "1,2\n", "d.csv"); }) ==
        "d.csv:1: expected 64 pixel counts and a label, comma-separated, found 66 fields");
  CHECK(data_error_message([&] { ds::parse_digits_csv(row.substr(2) + "1\n", "d.csv"); }) ==
        "d.csv:1: expected 64 pixel counts and a label, comma-separated, found 64 fields");

  const std::string header = "source\tlabel\ttext\n";
  const auto ok = ds::parse_sentiment_tsv(header + "imdb\t1\tGreat, fun.\nyelp\t0\t\n", "s.tsv");
  CHECK(ok.texts == std::vector<std::string>{"Great, fun.", ""});
  CHECK(ok.sources == std::vector<std::string>{"imdb", "yelp"});
  CHECK(ok.labels == std::vector<std::size_t>{1, 0});
  CHECK(data_error_message([] { ds::parse_sentiment_tsv("", "s.tsv"); }) ==
        "s.tsv:1: empty file, expected the header 'source<TAB>label<TAB>text'");
  CHECK(data_error_message([] { ds::parse_sentiment_tsv("source,label,text\n", "s.tsv"); }) ==
        "s.tsv:1: bad header 'source,label,text', expected 'source<TAB>label<TAB>text'");
  CHECK(data_error_message([&] { ds::parse_sentiment_tsv(header, "s.tsv"); }) ==
        "s.tsv:2: no sentences after the header");
  CHECK(data_error_message([&] { ds::parse_sentiment_tsv(header + "imdb\t1\tok\nimdb 1 bad\n", "s.tsv"); }) ==
        "s.tsv:3: expected source, label and text, tab-separated, found 1 fields");
  CHECK(data_error_message([&] { ds::parse_sentiment_tsv(header + "imdb\t2\tbad\n", "s.tsv"); }) ==
        "s.tsv:2: label '2' is not an integer in 0..1");
  CHECK(data_error_message([&] { ds::parse_sentiment_tsv(header + "\t1\tbad\n", "s.tsv"); }) ==
        "s.tsv:2: the source is empty");
}

TEST_CASE("datasets: parsers either load or throw DataError on arbitrary bytes") {
  // Bytes biased towards the formats' own characters, so parsing gets past
  // the header as well as failing in it.
  const std::string alphabet = "0123456789,,,..\t\t\n\n\r-+eE nai<>\x80\xff";
  const std::string prefixes[] = {"", "2,4,a,b\n", "source\tlabel\ttext\n", "0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,"};
  xg::Generator gen(7);
  std::size_t outcomes = 0;
  for (int trial = 0; trial < 400; ++trial) {
    std::string content = prefixes[trial % 4];
    const auto length = gen.randint(120);
    for (std::uint64_t i = 0; i < length; ++i)
      content += gen.randint(8) == 0 ? static_cast<char>(gen.randint(256)) : alphabet[gen.randint(alphabet.size())];
    for (int format = 0; format < 3; ++format) {
      try {
        if (format == 0) ds::parse_iris_csv(content, "f");
        if (format == 1) ds::parse_digits_csv(content, "f");
        if (format == 2) ds::parse_sentiment_tsv(content, "f");
      } catch (const ds::DataError& e) {
        CHECK(std::string(e.what()).rfind("f:", 0) == 0);
      }
      ++outcomes;  // loaded, or refused with a DataError: nothing else escaped
    }
  }
  CHECK(outcomes == 400 * 3);
}

// ----------------------------------------------------------------- splits

TEST_CASE("datasets: stratified split keeps class proportions exactly") {
  const auto iris = ds::load_iris();
  const auto [train, test] = ds::train_test_split(iris, 0.2, 42, true);
  CHECK(train.size() == 120);
  CHECK(test.size() == 30);
  CHECK(class_counts(train.labels, 3) == std::vector<std::size_t>{40, 40, 40});
  CHECK(class_counts(test.labels, 3) == std::vector<std::size_t>{10, 10, 10});
  CHECK(train.class_names == iris.class_names);
  CHECK(test.num_features() == 4);

  // Classes of 4 and 2 samples, half to test: ceil(6 * 0.5) = 3 test, 3
  // train; train dealt 4/6 * 3 = 2 and 2/6 * 3 = 1, the rest 2 and 1 to test.
  const auto parts = ds::split_indices({0, 1, 0, 0, 1, 0}, 0.5, 1, true);
  CHECK(parts.test.size() == 3);
  CHECK(class_counts({0, 1, 0, 0, 1, 0}, 2) == std::vector<std::size_t>{4, 2});
  std::vector<std::size_t> test_labels;
  for (auto i : parts.test) test_labels.push_back(std::vector<std::size_t>{0, 1, 0, 0, 1, 0}[i]);
  CHECK(class_counts(test_labels, 2) == std::vector<std::size_t>{2, 1});
}

TEST_CASE("datasets: split indices are a seeded, sorted partition") {
  const std::vector<std::size_t> labels(150, 0);
  const auto a = ds::split_indices(labels, 0.2, 42);
  const auto b = ds::split_indices(labels, 0.2, 42);
  const auto c = ds::split_indices(labels, 0.2, 43);
  CHECK(a.test.size() == 30);
  CHECK(a.train.size() == 120);
  CHECK(a.test == b.test);
  CHECK(a.train == b.train);
  CHECK(a.test != c.test);
  CHECK(std::is_sorted(a.train.begin(), a.train.end()));
  CHECK(std::is_sorted(a.test.begin(), a.test.end()));
  std::vector<std::size_t> all = a.train;
  all.insert(all.end(), a.test.begin(), a.test.end());
  std::sort(all.begin(), all.end());
  std::vector<std::size_t> expected(150);
  std::iota(expected.begin(), expected.end(), std::size_t{0});
  CHECK(all == expected);

  CHECK(ds::split_indices(std::vector<std::size_t>(5, 0), 0.3, 0).test.size() == 2);  // ceil(1.5)
  CHECK(ds::split_indices(labels, 0.0, 0).test.empty());
  CHECK(ds::split_indices(labels, 1.0, 0).train.empty());
  CHECK_THROWS_AS(ds::split_indices(labels, 1.5, 0), std::invalid_argument);
  CHECK_THROWS_AS(ds::split_indices(labels, std::nan(""), 0), std::invalid_argument);
}

TEST_CASE("datasets: split sizes are scikit-learn's, test = ceil(n * fraction)") {
  // n, fraction, n * fraction in double (as Python computes it), its ceiling.
  struct Case {
    std::size_t n;
    double fraction;
    std::size_t test;
  };
  const Case cases[] = {
      {6, 0.2, 2},        // 1.2000000000000002
      {6, 0.25, 2},       // 1.5
      {6, 0.33, 2},       // 1.98
      {10, 0.2, 2},       // 2.0
      {10, 0.25, 3},      // 2.5
      {10, 0.33, 4},      // 3.3000000000000003
      {150, 0.2, 30},     // 30.0
      {150, 0.25, 38},    // 37.5
      {150, 0.33, 50},    // 49.5
      {1797, 0.2, 360},   // 359.40000000000003
      {1797, 0.25, 450},  // 449.25
      {1797, 0.33, 594},  // 593.01
  };
  for (const auto& c : cases) {
    // Two classes, the first twice the second's size (rounded down).
    std::vector<std::size_t> labels(c.n, 0);
    for (std::size_t i = 0; i < c.n / 3; ++i) labels[i] = 1;
    for (const bool stratify : {false, true}) {
      const auto parts = ds::split_indices(labels, c.fraction, 7, stratify);
      CHECK_MESSAGE(parts.test.size() == c.test, c.n, " at ", c.fraction, " stratified ", stratify);
      CHECK(parts.train.size() == c.n - c.test);
    }
  }
  // Stratified, the train part is dealt first: iris at 0.25 has 112 train
  // samples, 112/3 = 37.33 per class, so 37 + 37 + 37 and the largest
  // remainder's tie goes to the first class: 38, 37, 37; test gets 12, 13, 13.
  const auto iris = ds::load_iris();
  const auto [train, test] = ds::train_test_split(iris, 0.25, 1, true);
  CHECK(class_counts(train.labels, 3) == std::vector<std::size_t>{38, 37, 37});
  CHECK(class_counts(test.labels, 3) == std::vector<std::size_t>{12, 13, 13});
  // The digits of the lessons: 360 test samples, as scikit-learn gives.
  CHECK(ds::train_test_split(ds::load_digits(), 0.2, 0, true).test.size() == 360);
}

TEST_CASE("datasets: float targets split, subset and batch with their features") {
  auto x = xg::Array<float>::from_shape({5, 2});
  auto y = xg::Array<float>::from_shape({5, 3});
  for (std::size_t i = 0; i < 5; ++i) {
    x(i, 0) = static_cast<float>(i);
    x(i, 1) = static_cast<float>(10 * i);
    for (std::size_t k = 0; k < 3; ++k) y(i, k) = static_cast<float>(100 * i + k);
  }
  const auto data = ds::tensor_dataset(x, y);
  CHECK(data.size() == 5);
  const auto picked = ds::subset(data, {3, 0});
  CHECK(picked.targets(0, 2) == 302.0f);
  CHECK(picked.targets(1, 1) == 1.0f);
  const auto [train, test] = ds::train_test_split(data, 0.2, 0);
  CHECK(train.size() == 4);
  CHECK(test.size() == 1);  // ceil(5 * 0.2) = 1
  CHECK(test.targets(0, 0) == 100 * test.features(0, 0));
  CHECK_THROWS_AS(ds::train_test_split(data, 0.2, 0, true), std::invalid_argument);

  xg::Generator generator(3);
  ds::TargetDataLoader loader(data, {.batch_size = 2}, generator);
  CHECK(loader.size() == 3);
  std::vector<std::size_t> seen;
  for (auto [bx, by] : loader) {
    REQUIRE(by.shape()[0] == bx.shape()[0]);
    REQUIRE(by.shape()[1] == 3);
    for (std::size_t r = 0; r < bx.shape()[0]; ++r) {
      const auto i = static_cast<std::size_t>(bx.value()(r, 0));
      CHECK(bx.value()(r, 1) == static_cast<float>(10 * i));
      CHECK(by.value()(r, 2) == static_cast<float>(100 * i + 2));
      seen.push_back(i);
    }
  }
  std::sort(seen.begin(), seen.end());
  CHECK(seen == std::vector<std::size_t>{0, 1, 2, 3, 4});
  // The same seed gives DataLoader and TargetDataLoader the same order.
  xg::Generator g1(9), g2(9);
  ds::TargetDataLoader by_target(data, {.batch_size = 5}, g1);
  ds::DataLoader by_label(numbered_rows(5), {.batch_size = 5}, g2);
  const auto target_batch = *by_target.begin();
  const auto label_batch = *by_label.begin();
  for (std::size_t r = 0; r < 5; ++r) CHECK(target_batch.x.value()(r, 0) == static_cast<float>(label_batch.y[r]));

  // Vector targets, and the shape checks.
  ds::TargetDataLoader vector_targets(x, xg::Array<float>{1, 2, 3, 4, 5}, {.batch_size = 5, .shuffle = false});
  CHECK((*vector_targets.begin()).y.value()(4) == 5.0f);
  CHECK_THROWS_AS(ds::TargetDataLoader(x, xg::Array<float>{1, 2}), xg::ShapeError);
  CHECK_THROWS_AS(ds::TargetDataLoader(numbered_rows(3)), std::invalid_argument);
  CHECK_THROWS_AS(ds::tensor_dataset(x, xg::Array<float>{1, 2}), xg::ShapeError);
  const auto labelled = ds::tensor_dataset(x, std::vector<std::size_t>{0, 2, 1, 0, 2});
  CHECK(labelled.class_names == std::vector<std::string>{"0", "1", "2"});
  CHECK_THROWS_AS(ds::tensor_dataset(x, std::vector<std::size_t>{0, 1, 2, 3, 4}, {"a", "b"}), std::invalid_argument);
  CHECK_THROWS_AS(ds::tensor_dataset(x, std::vector<std::size_t>{0}), xg::ShapeError);
}

TEST_CASE("datasets: text split carries texts, labels and sources together") {
  const auto s = ds::load_sentiment();
  const auto [train, test] = ds::train_test_split(s, 0.2, 3, true);
  CHECK(train.size() == 2400);
  CHECK(test.size() == 600);
  CHECK(class_counts(test.labels, 2) == std::vector<std::size_t>{300, 300});
  const auto parts = ds::split_indices(s.labels, 0.2, 3, true);
  REQUIRE(parts.test.size() == 600);
  for (std::size_t k = 0; k < test.size(); ++k) {
    CHECK(test.texts[k] == s.texts[parts.test[k]]);
    CHECK(test.sources[k] == s.sources[parts.test[k]]);
    CHECK(test.labels[k] == s.labels[parts.test[k]]);
  }
}

TEST_CASE("datasets: subset copies the chosen rows and checks indices") {
  const auto d = numbered_rows(5);
  const auto s = ds::subset(d, {4, 1, 1});
  CHECK(s.labels == std::vector<std::size_t>{4, 1, 1});
  CHECK(s.features(0, 1) == 40.0f);
  CHECK(s.features(2, 0) == 1.0f);
  CHECK_THROWS_AS(ds::subset(d, {5}), std::invalid_argument);
  auto broken = d;
  broken.labels.pop_back();
  CHECK_THROWS_AS(ds::subset(broken, {0}), xg::ShapeError);
}

// ---------------------------------------------------------------- scaling

TEST_CASE("datasets: StandardScaler on a hand-worked matrix") {
  // Column 0: 1, 3, 5 -> mean 3, population variance (4 + 0 + 4) / 3 = 8/3.
  // Column 1 is constant -> scale 1.
  xg::Array<double> x = {{1.0, 10.0}, {3.0, 10.0}, {5.0, 10.0}};
  ds::StandardScaler scaler;
  const auto z = scaler.fit_transform(x);
  CHECK(scaler.mean()[0] == doctest::Approx(3.0));
  CHECK(scaler.var()[0] == doctest::Approx(8.0 / 3.0));
  CHECK(scaler.scale()[0] == doctest::Approx(std::sqrt(8.0 / 3.0)));
  CHECK(scaler.var()[1] == 0.0);
  CHECK(scaler.scale()[1] == 1.0);
  CHECK(z(0, 0) == doctest::Approx(-2.0 / std::sqrt(8.0 / 3.0)));
  CHECK(z(1, 0) == doctest::Approx(0.0));
  CHECK(z(2, 1) == 0.0);
  // (7 - 3) / sqrt(8/3) = sqrt(6); (12 - 10) / 1 = 2.
  const auto t = scaler.transform(xg::Array<double>{{7.0, 12.0}});
  CHECK(t(0, 0) == doctest::Approx(std::sqrt(6.0)));
  CHECK(t(0, 1) == doctest::Approx(2.0));

  CHECK_THROWS_AS(ds::StandardScaler().transform(x), std::logic_error);
  CHECK_THROWS_AS(scaler.transform(xg::Array<double>{{1.0, 2.0, 3.0}}), xg::ShapeError);
  CHECK_THROWS_AS(scaler.fit(xg::Array<double>{1.0, 2.0}), xg::ShapeError);
  CHECK_THROWS_AS(scaler.fit(xg::Array<double>::from_shape({0, 2})), std::invalid_argument);
  CHECK_THROWS_AS(scaler.fit(xg::Array<double>{{1.0, 2.0}, {std::nan(""), 0.0}}), std::invalid_argument);
  CHECK(scaler.mean()[0] == doctest::Approx(3.0));  // a failed fit changes nothing
}

TEST_CASE("datasets: StandardScaler on iris matches published statistics") {
  const auto iris = ds::load_iris();
  ds::StandardScaler scaler;
  scaler.fit(iris.features);
  // sklearn: StandardScaler().fit(load_iris().data).mean_ and .scale_
  const double mean[] = {5.8433333, 3.0573333, 3.758, 1.1993333};
  const double scale[] = {0.82530129, 0.43441097, 1.75940407, 0.75969263};
  for (std::size_t j = 0; j < 4; ++j) {
    CHECK(scaler.mean()[j] == doctest::Approx(mean[j]).epsilon(1e-6));
    CHECK(scaler.scale()[j] == doctest::Approx(scale[j]).epsilon(1e-6));
  }

  const auto [train, test] = ds::train_test_split(iris, 0.2, 0, true);
  const auto z = scaler.fit_transform(train.features);
  for (std::size_t j = 0; j < 4; ++j) {
    double sum = 0, squares = 0;
    for (std::size_t i = 0; i < train.size(); ++i) sum += z(i, j);
    for (std::size_t i = 0; i < train.size(); ++i) squares += (z(i, j) - sum / 120) * (z(i, j) - sum / 120);
    CHECK(sum / 120 == doctest::Approx(0.0).epsilon(1e-6));
    CHECK(std::sqrt(squares / 120) == doctest::Approx(1.0).epsilon(1e-6));
  }
  // The test part uses the training statistics.
  const auto zt = scaler.transform(test.features);
  CHECK(zt(0, 2) == doctest::Approx((test.features(0, 2) - scaler.mean()[2]) / scaler.scale()[2]).epsilon(1e-6));
}

// --------------------------------------------------------------- batching

static_assert(std::input_iterator<ds::DataLoader::Iterator>);
static_assert(std::sentinel_for<std::default_sentinel_t, ds::DataLoader::Iterator>);

TEST_CASE("datasets: DataLoader batch sizes keep or drop the last batch") {
  const auto d = numbered_rows(10);
  ds::DataLoader keep(d, {.batch_size = 4, .shuffle = false});
  ds::DataLoader drop(d, {.batch_size = 4, .shuffle = false, .drop_last = true});
  CHECK(keep.size() == 3);
  CHECK(drop.size() == 2);
  std::vector<std::size_t> sizes;
  for (auto [x, y] : keep) sizes.push_back(x.shape()[0]);
  CHECK(sizes == std::vector<std::size_t>{4, 4, 2});
  sizes.clear();
  for (const auto& [x, y] : drop) sizes.push_back(y.size());
  CHECK(sizes == std::vector<std::size_t>{4, 4});
  std::vector<std::size_t> in_order(10);
  std::iota(in_order.begin(), in_order.end(), std::size_t{0});
  CHECK(epoch_order(keep) == in_order);

  ds::DataLoader exact(numbered_rows(8), {.batch_size = 4, .drop_last = true});
  CHECK(exact.size() == 2);
  ds::DataLoader empty(xg::Array<float>::from_shape({0, 3}), {}, {});
  CHECK(empty.size() == 0);
  CHECK(empty.begin() == empty.end());
  CHECK_THROWS_AS(ds::DataLoader(d, {.batch_size = 0}), std::invalid_argument);
  CHECK_THROWS_AS(ds::DataLoader(d.features, {1, 2}), xg::ShapeError);
}

TEST_CASE("datasets: DataLoader shuffles every epoch, reproducibly from the seed") {
  const auto d = numbered_rows(10);
  xg::Generator gen(123), same(123);
  ds::DataLoader loader(d, {.batch_size = 3}, gen);
  ds::DataLoader twin(d, {.batch_size = 3}, same);
  const auto first = epoch_order(loader);
  const auto second = epoch_order(loader);
  std::vector<std::size_t> sorted = first, in_order(10);
  std::sort(sorted.begin(), sorted.end());
  std::iota(in_order.begin(), in_order.end(), std::size_t{0});
  CHECK(sorted == in_order);  // every row once per epoch
  sorted = second;
  std::sort(sorted.begin(), sorted.end());
  CHECK(sorted == in_order);
  CHECK(first != second);
  CHECK(first != in_order);
  CHECK(epoch_order(twin) == first);
  CHECK(epoch_order(twin) == second);
}

TEST_CASE("datasets: DataLoader never overwrites a batch someone still holds") {
  const auto d = numbered_rows(6);
  ds::DataLoader loader(d, {.batch_size = 2, .shuffle = false});
  std::vector<xg::Tensor> kept;
  std::vector<const float*> buffers;
  for (auto [x, y] : loader) {
    kept.push_back(x);
    buffers.push_back(x.value().data());
  }
  REQUIRE(kept.size() == 3);
  for (std::size_t b = 0; b < 3; ++b) CHECK(kept[b].value()(0, 0) == static_cast<float>(2 * b));
  // Batches nobody holds on to share one buffer.
  buffers.clear();
  for (auto [x, y] : loader) buffers.push_back(x.value().data());
  CHECK(buffers[1] == buffers[0]);
  CHECK(buffers[2] == buffers[0]);
}

TEST_CASE("datasets: DataLoader never overwrites a batch a view still reads") {
  const auto d = numbered_rows(6);
  ds::DataLoader loader(d, {.batch_size = 2, .shuffle = false});
  // A row of a batch shares the batch's storage, as in PyTorch; the loader
  // must not write the next batch into it.
  std::vector<xg::Tensor> first_rows;
  for (auto [x, y] : loader) first_rows.push_back(x[0]);
  REQUIRE(first_rows.size() == 3);
  for (std::size_t b = 0; b < 3; ++b) CHECK(first_rows[b].value()(0) == static_cast<float>(2 * b));
}
