#pragma once
// Your own CSV files as a Dataset:
//
//   auto data = datasets::load_csv("houses.csv", {.target = "price", .categorical_target = false});
//   auto iris = datasets::load_csv("iris.csv", {.target = -1});          // last column, class names kept
//   auto exact = datasets::load_csv<double>("houses.csv", {.target = "price", .categorical_target = false});
//
// The format is RFC 4180's: fields separated by `delimiter`, a field in
// double quotes may hold the delimiter, line breaks and "" for a quote;
// "\n" or "\r\n" line ends, a UTF-8 byte order mark, blank lines (trailing
// ones too) skipped. Every feature cell is a finite number of the scalar type
// asked for (float32 by default, float64 with load_csv<double>, each cell
// rounded once from its decimal text to that type). A cell
// that is empty or nan is refused unless `missing` gives the value to put
// there; any failure is a DataError "<file>:<line>:<column>: <what>" naming
// the column.
//
// xtensor's xt::load_csv has no quoting, header or error position, so the
// reader is written here.

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>

#include <xgrad/datasets/dataset.hpp>

namespace xg::datasets {

// A column by header name, by index (negative from the end: -1 is the last),
// or none.
class CsvColumn {
 public:
  CsvColumn() = default;
  CsvColumn(const char* name) : name_(name) {}
  CsvColumn(std::string name) : name_(std::move(name)) {}
  CsvColumn(int index) : index_(index) {}

  bool is_none() const { return !name_ && !index_; }
  const std::optional<std::string>& name() const { return name_; }
  const std::optional<long long>& index() const { return index_; }

 private:
  std::optional<std::string> name_;
  std::optional<long long> index_;
};

enum class CsvHeader {
  detect,  // a header when a cell of the first record outside the target column is not a number
  yes,
  no,
};

struct CsvOptions {
  CsvColumn target{};                    // none: every column is a feature, no labels or targets
  CsvHeader header = CsvHeader::detect;  // a target by name implies a header
  char delimiter = ',';
  // true: the target's cells are class names, kept in Dataset::class_names
  // sorted as numpy.unique sorts them (by value when all are integers), the
  // labels their indices. false: float targets in Dataset::targets, (rows).
  bool categorical_target = true;
  std::optional<double> missing{};  // the value of an empty or nan feature cell; none: refused
};

template <class S = float>
BasicDataset<S> load_csv(const std::string& path, const CsvOptions& options = {});
// The parser behind load_csv, on a file's content; `file` names it in errors.
// Any bytes either give a consistent data set or throw a DataError.
template <class S = float>
BasicDataset<S> parse_csv(std::string_view content, const std::string& file, const CsvOptions& options = {});

extern template Dataset load_csv(const std::string&, const CsvOptions&);
extern template Dataset64 load_csv(const std::string&, const CsvOptions&);
extern template Dataset parse_csv(std::string_view, const std::string&, const CsvOptions&);
extern template Dataset64 parse_csv(std::string_view, const std::string&, const CsvOptions&);

}  // namespace xg::datasets
