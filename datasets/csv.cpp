#include <xgrad/datasets/csv.hpp>

#include <algorithm>
#include <charconv>
#include <cmath>
#include <cstdint>
#include <limits>
#include <map>
#include <vector>

#include <xgrad/core/array.hpp>
#include <xgrad/core/message.hpp>
#include <xgrad/datasets/data_error.hpp>
#include <xgrad/datasets/data_files.hpp>

namespace xg::datasets {

namespace {

struct Field {
  std::string text;
  std::size_t line = 0;
  std::size_t column = 0;  // bytes from the start of its line, from 1
  bool was_quoted = false;
};

// RFC 4180 records, with the place each field starts for messages.
class RecordReader {
 public:
  RecordReader(std::string_view content, char delimiter, const std::string& file)
      : rest_(content), delimiter_(delimiter), file_(file) {
    if (rest_.starts_with("\xEF\xBB\xBF")) rest_.remove_prefix(3);
  }

  // The next record that is not a blank line; false at the end.
  bool next(std::vector<Field>& record) {
    while (pos_ < rest_.size()) {
      read_record(record);
      const bool blank =
          record.size() == 1 && !record[0].was_quoted && record[0].text.find_first_not_of(" \t") == std::string::npos;
      if (!blank) return true;
    }
    return false;
  }

  std::size_t line() const { return line_; }

 private:
  std::size_t column() const { return pos_ - line_start_ + 1; }

  // One record, up to and including its line end.
  void read_record(std::vector<Field>& record) {
    record.clear();
    for (;;) {
      Field field{{}, line_, column(), false};
      if (pos_ < rest_.size() && rest_[pos_] == '"') {
        read_quoted(field);
      } else {
        const std::size_t end = std::min(rest_.find_first_of(std::string{delimiter_, '\n'}, pos_), rest_.size());
        field.text.assign(rest_.substr(pos_, end - pos_));
        pos_ = end;
        if (field.text.ends_with('\r') && (pos_ == rest_.size() || rest_[pos_] == '\n')) field.text.pop_back();
      }
      record.push_back(std::move(field));
      if (pos_ >= rest_.size()) return;
      if (rest_[pos_++] == '\n') {
        new_line();
        return;
      }
    }
  }

  void read_quoted(Field& field) {
    field.was_quoted = true;
    const std::size_t open_line = line_, open_column = column();
    ++pos_;
    for (;;) {
      if (pos_ >= rest_.size())
        throw DataError(file_, open_line, open_column, "the quoted field starting here is never closed");
      const char c = rest_[pos_++];
      if (c != '"') {
        field.text += c;
        if (c == '\n') new_line();
        continue;
      }
      if (pos_ < rest_.size() && rest_[pos_] == '"') {
        field.text += '"';
        ++pos_;
        continue;
      }
      if (rest_.substr(pos_).starts_with("\r\n")) ++pos_;
      if (pos_ < rest_.size() && rest_[pos_] != delimiter_ && rest_[pos_] != '\n')
        throw DataError(file_, line_, column(),
                        "unexpected " + quoted_text(rest_.substr(pos_, 1)) +
                            " after the closing quote of a field (a quote inside a quoted field is written \"\")");
      return;
    }
  }

  void new_line() {
    ++line_;
    line_start_ = pos_;
  }

  std::string_view rest_;
  char delimiter_;
  const std::string& file_;
  std::size_t pos_ = 0;
  std::size_t line_ = 1;
  std::size_t line_start_ = 0;
};

std::string_view trim(std::string_view s) {
  const auto first = s.find_first_not_of(" \t");
  if (first == std::string_view::npos) return {};
  return s.substr(first, s.find_last_not_of(" \t") - first + 1);
}

bool is_missing(std::string_view cell) {
  cell = trim(cell);
  return cell.empty() || cell == "nan" || cell == "NaN" || cell == "NAN";
}

std::optional<double> parse_number(std::string_view cell) {
  cell = trim(cell);
  if (cell.starts_with('+')) cell.remove_prefix(1);
  double value = 0;
  const auto [end, ec] = std::from_chars(cell.data(), cell.data() + cell.size(), value);
  if (cell.empty() || ec != std::errc() || end != cell.data() + cell.size()) return std::nullopt;
  return value;
}

// How a column is named in messages: "column 'x1' (2)" or "column 2".
std::string column_name(const std::vector<std::string>& header, std::size_t j) {
  return header.empty() ? "column " + std::to_string(j + 1)
                        : "column " + quoted_text(header[j]) + " (" + std::to_string(j + 1) + ")";
}

// The target column's index among `columns`, or `columns` for none.
std::size_t target_index(const CsvColumn& target, const std::vector<std::string>& header, std::size_t columns,
                         const std::string& file, std::size_t line) {
  if (target.is_none()) return columns;
  if (target.name()) {
    const auto it = std::find(header.begin(), header.end(), *target.name());
    if (it == header.end())
      throw DataError(file, line,
                      "load_csv: the target column " + quoted_text(*target.name()) + " is not in the header (" +
                          std::to_string(columns) + " columns)");
    return static_cast<std::size_t>(it - header.begin());
  }
  const long long index = *target.index();
  const long long n = static_cast<long long>(columns);
  if (index >= n || index < -n)
    throw DataError(file, line,
                    "load_csv: the target column index " + std::to_string(index) + " is out of range for " +
                        std::to_string(columns) + " columns");
  return static_cast<std::size_t>(index < 0 ? index + n : index);
}

// Class names sorted as numpy.unique sorts them: by value when every name is
// an integer, else as strings.
std::vector<std::string> sorted_class_names(std::vector<std::string> names) {
  std::sort(names.begin(), names.end());
  names.erase(std::unique(names.begin(), names.end()), names.end());
  std::vector<std::pair<std::int64_t, std::string>> numeric;
  for (const auto& name : names) {
    std::int64_t v = 0;
    const auto [end, ec] = std::from_chars(name.data(), name.data() + name.size(), v);
    if (ec != std::errc() || end != name.data() + name.size()) return names;
    numeric.emplace_back(v, name);
  }
  std::sort(numeric.begin(), numeric.end());
  for (std::size_t i = 0; i < names.size(); ++i) names[i] = numeric[i].second;
  return names;
}

// The name of scalar type S in messages.
template <class S>
constexpr const char* scalar_name = sizeof(S) == 4 ? "float32" : "float64";

}  // namespace

template <class S>
BasicDataset<S> parse_csv(std::string_view content, const std::string& file, const CsvOptions& options) {
  if (options.delimiter == '"' || options.delimiter == '\n' || options.delimiter == '\r')
    throw DataError(file, 1, "load_csv: the delimiter cannot be a quote or a line end");
  constexpr double largest = std::numeric_limits<S>::max();
  if (options.missing && !(std::abs(*options.missing) <= largest))
    throw DataError(file, 1,
                    "load_csv: .missing must be a finite " + std::string(scalar_name<S>) + " number, got " +
                        number_text(*options.missing));
  RecordReader reader(content, options.delimiter, file);
  std::vector<Field> record;
  if (!reader.next(record)) throw DataError(file, 1, "load_csv: the file has no rows");
  const std::size_t columns = record.size();

  // The header: given, implied by a target name, or detected from the cells
  // outside the target column (a class name there is no sign of a header).
  bool has_header = options.header == CsvHeader::yes || options.target.name().has_value();
  if (options.header == CsvHeader::no && options.target.name())
    throw DataError(
        file, 1,
        "load_csv: a target by name (" + quoted_text(*options.target.name()) + ") needs a header, but .header is no");
  if (options.header == CsvHeader::detect && !has_header) {
    const std::size_t skip =
        options.target.index() ? target_index(options.target, {}, columns, file, record[0].line) : columns;
    for (std::size_t j = 0; j < columns; ++j)
      if (j != skip && !is_missing(record[j].text) && !parse_number(record[j].text)) has_header = true;
  }
  std::vector<std::string> header;
  const std::size_t header_line = record[0].line;
  if (has_header) {
    for (auto& f : record) header.push_back(std::string(trim(f.text)));
    record.clear();
  }
  const std::size_t target = target_index(options.target, header, columns, file, header_line);
  const std::size_t features = target < columns ? columns - 1 : columns;

  std::vector<S> values, targets;
  std::vector<std::string> class_of_row;
  std::size_t rows = 0;
  const auto take = [&](const std::vector<Field>& fields) {
    if (fields.size() != columns)
      throw DataError(file, fields[0].line,
                      "expected " + std::to_string(columns) + " fields" +
                          (has_header ? " as in the header" : " as in the first row") + ", found " +
                          std::to_string(fields.size()));
    for (std::size_t j = 0; j < columns; ++j) {
      const Field& cell = fields[j];
      if (j == target) {
        if (is_missing(cell.text))
          throw DataError(file, cell.line, cell.column, "the target " + column_name(header, j) + " is empty or nan");
        if (options.categorical_target) {
          class_of_row.emplace_back(trim(cell.text));
          continue;
        }
      }
      double v = 0;
      if (is_missing(cell.text)) {
        if (!options.missing)
          throw DataError(file, cell.line, cell.column,
                          column_name(header, j) + ": " + quoted_text(cell.text) +
                              " is a missing value (set .missing to the number to put in its place)");
        v = *options.missing;
      } else {
        const auto parsed = parse_number(cell.text);
        if (!parsed)
          throw DataError(file, cell.line, cell.column,
                          column_name(header, j) + ": " + quoted_text(cell.text) + " is not a number");
        v = *parsed;
      }
      if (!(std::abs(v) <= largest))
        throw DataError(
            file, cell.line, cell.column,
            column_name(header, j) + ": " + quoted_text(cell.text) + " is not a finite " + scalar_name<S> + " number");
      (j == target ? targets : values).push_back(static_cast<S>(v));
    }
    ++rows;
  };
  if (!record.empty()) take(record);
  while (reader.next(record)) take(record);
  if (rows == 0) throw DataError(file, reader.line(), "load_csv: the file has a header but no rows");

  BasicDataset<S> out;
  out.source = file;
  out.features = Array<S>::from_shape({rows, features});
  std::copy(values.begin(), values.end(), out.features.data());
  if (target < columns && options.categorical_target) {
    out.class_names = sorted_class_names(class_of_row);
    std::map<std::string, std::size_t> index;
    for (std::size_t c = 0; c < out.class_names.size(); ++c) index[out.class_names[c]] = c;
    for (const auto& name : class_of_row) out.labels.push_back(index[name]);
  } else if (target < columns) {
    out.targets = Array<S>::from_shape({rows});
    std::copy(targets.begin(), targets.end(), out.targets.data());
  }
  return out;
}

template <class S>
BasicDataset<S> load_csv(const std::string& path, const CsvOptions& options) {
  return parse_csv<S>(read_text_file(path), path, options);
}

template Dataset load_csv(const std::string&, const CsvOptions&);
template Dataset64 load_csv(const std::string&, const CsvOptions&);
template Dataset parse_csv(std::string_view, const std::string&, const CsvOptions&);
template Dataset64 parse_csv(std::string_view, const std::string&, const CsvOptions&);

}  // namespace xg::datasets
