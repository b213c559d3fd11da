// datasets::load_csv on hand-written files: headers, targets, quoting, line
// ends, missing cells, and the file:line:column of every refusal.

#include <doctest/doctest.h>

#include <filesystem>
#include <fstream>
#include <string>

#include <unistd.h>

#include <xgrad/xgrad.hpp>

#include "exception_message.hpp"

namespace ds = xg::datasets;
using xg::testing::contains;
using xg::testing::message_of;

namespace {

ds::Dataset parse(const std::string& content, const ds::CsvOptions& options = {}) {
  return ds::parse_csv(content, "data.csv", options);
}

std::string error_of(const std::string& content, const ds::CsvOptions& options = {}) {
  return message_of<ds::DataError>([&] { parse(content, options); });
}

}  // namespace

TEST_CASE("load_csv: a header with a named categorical target keeps the class names") {
  const auto d = parse("x0,x1,label\n1,2,cat\n3.5,-4,dog\n5,6e1,cat\n", {.target = "label"});
  REQUIRE(d.features.shape()[0] == 3);
  REQUIRE(d.features.shape()[1] == 2);
  CHECK(d.features(1, 0) == 3.5f);
  CHECK(d.features(1, 1) == -4.0f);
  CHECK(d.features(2, 1) == 60.0f);
  CHECK(d.class_names == std::vector<std::string>{"cat", "dog"});
  CHECK(d.labels == std::vector<std::size_t>{0, 1, 0});
  CHECK_FALSE(d.has_targets());
  CHECK(d.source == "data.csv");
}

TEST_CASE("load_csv: integer class names sort by value, as numpy.unique sorts integers") {
  const auto d = parse("1,10\n2,9\n3,10\n4,2\n", {.target = -1});
  CHECK(d.class_names == std::vector<std::string>{"2", "9", "10"});
  CHECK(d.labels == std::vector<std::size_t>{2, 1, 2, 0});
  CHECK(d.num_features() == 1);
}

TEST_CASE("load_csv: float targets by index, header detected or not") {
  // No header: every cell of the first row outside the target is a number.
  const auto d = parse("0.5,1,2.25\n1.5,3,-0.75\n", {.target = 1, .categorical_target = false});
  REQUIRE(d.has_targets());
  CHECK(d.targets.shape()[0] == 2);
  CHECK(d.targets(0) == 1.0f);
  CHECK(d.targets(1) == 3.0f);
  CHECK(d.features(0, 1) == 2.25f);
  CHECK(d.features(1, 1) == -0.75f);
  CHECK(d.labels.empty());
  // A header is detected from its non-numeric cells; .header = yes forces one.
  CHECK(parse("a,b\n1,2\n").size() == 1);
  CHECK(parse("1,2\n3,4\n", {.header = ds::CsvHeader::yes}).size() == 1);
  CHECK(parse("1,2\n3,4\n", {.header = ds::CsvHeader::no}).size() == 2);
  // Without a target every column is a feature.
  const auto all = parse("1,2,3\n");
  CHECK(all.num_features() == 3);
  CHECK(all.labels.empty());
  CHECK_FALSE(all.has_targets());
}

TEST_CASE("load_csv: quoted fields, other delimiters, CRLF, a BOM and blank lines") {
  const std::string content =
      "\xEF\xBB\xBF\"x 0\";\"x;1\";name\r\n"
      "1;\"2\";\"say \"\"hi\"\"\"\r\n"
      "\r\n"
      "3;4;\"two\nlines\"\r\n"
      "\n\n";
  const auto d = parse(content, {.target = "name", .delimiter = ';'});
  REQUIRE(d.size() == 2);
  CHECK(d.features(0, 1) == 2.0f);
  CHECK(d.features(1, 0) == 3.0f);
  CHECK(d.class_names == std::vector<std::string>{"say \"hi\"", "two\nlines"});
  // A target by name finds a quoted header cell with the delimiter in it.
  CHECK(parse("\"a,b\",c\n1,2\n", {.target = "a,b", .categorical_target = false}).targets(0) == 1.0f);
}

TEST_CASE("load_csv: missing cells are refused with file:line:column unless .missing fills them") {
  CHECK(error_of("a,b\n1,2\n3,\n") ==
        "data.csv:3:3: column 'b' (2): '' is a missing value (set .missing to the number to put in its place)");
  CHECK(error_of("a,b\n1,nan\n") ==
        "data.csv:2:3: column 'b' (2): 'nan' is a missing value (set .missing to the number to put in its place)");
  const auto d = parse("a,b\n1,nan\n,4\n", {.missing = -1.0f});
  CHECK(d.features(0, 1) == -1.0f);
  CHECK(d.features(1, 0) == -1.0f);
  CHECK(d.features(1, 1) == 4.0f);
  // A target cannot be filled in.
  CHECK(error_of("a,y\n1,\n", {.target = "y", .missing = 0.0f}) ==
        "data.csv:2:3: the target column 'y' (2) is empty or nan");
}

TEST_CASE("load_csv: every malformed file names the file, the line and the column") {
  CHECK(error_of("a,b\n1,x2\n") == "data.csv:2:3: column 'b' (2): 'x2' is not a number");
  CHECK(error_of("1,2\n3,oops\n") == "data.csv:2:3: column 2: 'oops' is not a number");
  CHECK(error_of("a,b\n1,inf\n") == "data.csv:2:3: column 'b' (2): 'inf' is not a finite float32 number");
  CHECK(error_of("a,b\n1,1e39\n") == "data.csv:2:3: column 'b' (2): '1e39' is not a finite float32 number");
  CHECK(error_of("a,b\n1,2\n1,2,3\n") == "data.csv:3: expected 2 fields as in the header, found 3");
  CHECK(error_of("1,2\n1\n") == "data.csv:2: expected 2 fields as in the first row, found 1");
  CHECK(error_of("a,b\n1,\"2\n") == "data.csv:2:3: the quoted field starting here is never closed");
  CHECK(error_of("a,b\n1,\"2\"x\n") ==
        "data.csv:2:6: unexpected 'x' after the closing quote of a field (a quote inside a quoted field is written "
        "\"\")");
  CHECK(error_of("") == "data.csv:1: load_csv: the file has no rows");
  CHECK(error_of("\n\r\n") == "data.csv:1: load_csv: the file has no rows");
  CHECK(error_of("a,b\n") == "data.csv:2: load_csv: the file has a header but no rows");
  CHECK(error_of("a,b\n1,2\n", {.target = "c"}) ==
        "data.csv:1: load_csv: the target column 'c' is not in the header (2 columns)");
  CHECK(error_of("1,2\n", {.target = 2}) ==
        "data.csv:1: load_csv: the target column index 2 is out of range for 2 columns");
  CHECK(error_of("1,2\n", {.target = -3}) ==
        "data.csv:1: load_csv: the target column index -3 is out of range for 2 columns");
  CHECK(error_of("1,2\n", {.target = "b", .header = ds::CsvHeader::no}) ==
        "data.csv:1: load_csv: a target by name ('b') needs a header, but .header is no");
  // The column counts bytes from the start of the line, after a quoted
  // field that spanned lines too.
  CHECK(error_of("a,b,c\n\"x\ny\",1,z\n", {.target = 0}) == "data.csv:3:6: column 'c' (3): 'z' is not a number");
}

TEST_CASE("load_csv: reads a file, and names a missing one") {
  const auto dir = std::filesystem::temp_directory_path() / ("xgrad_csv_" + std::to_string(::getpid()));
  std::filesystem::create_directories(dir);
  const auto path = (dir / "mine.csv").string();
  std::ofstream(path, std::ios::binary) << "x0,x1,label\n0,1,a\n1,0,b\n";
  const auto d = ds::load_csv(path, {.target = "label"});
  CHECK(d.size() == 2);
  CHECK(d.source == path);
  CHECK(contains(message_of<ds::DataError>([&] { ds::load_csv((dir / "none.csv").string()); }), "none.csv"));
  std::filesystem::remove_all(dir);
}
