#include <xgrad/datasets/loaders.hpp>

#include <algorithm>
#include <charconv>
#include <cmath>
#include <cstdint>
#include <optional>

#include <xgrad/core/message.hpp>
#include <xgrad/datasets/data_error.hpp>
#include <xgrad/datasets/data_files.hpp>

namespace xg::datasets {

namespace {

// Lines of a file's content, numbered from 1, without their "\n" or "\r\n".
class LineReader {
 public:
  explicit LineReader(std::string_view content) : rest_(content) {
    if (rest_.starts_with("\xEF\xBB\xBF")) rest_.remove_prefix(3);
  }

  bool next(std::string_view& line) {
    if (rest_.empty()) return false;
    const auto end = rest_.find('\n');
    line = rest_.substr(0, end);
    rest_.remove_prefix(end == std::string_view::npos ? rest_.size() : end + 1);
    if (line.ends_with('\r')) line.remove_suffix(1);
    ++number_;
    return true;
  }

  bool next_nonblank(std::string_view& line) {
    while (next(line))
      if (!trim(line).empty()) return true;
    return false;
  }

  std::size_t number() const { return number_; }

  static std::string_view trim(std::string_view s) {
    const auto first = s.find_first_not_of(" \t");
    if (first == std::string_view::npos) return {};
    return s.substr(first, s.find_last_not_of(" \t") - first + 1);
  }

 private:
  std::string_view rest_;
  std::size_t number_ = 0;
};

// Splits into `fields`, reusing its storage from line to line.
void split(std::string_view line, char separator, std::vector<std::string_view>& fields) {
  fields.clear();
  for (;;) {
    const auto end = line.find(separator);
    fields.push_back(line.substr(0, end));
    if (end == std::string_view::npos) return;
    line.remove_prefix(end + 1);
  }
}

std::optional<std::uint64_t> parse_unsigned(std::string_view field) {
  field = LineReader::trim(field);
  std::uint64_t value = 0;
  const auto [end, ec] = std::from_chars(field.data(), field.data() + field.size(), value);
  if (field.empty() || ec != std::errc() || end != field.data() + field.size()) return std::nullopt;
  return value;
}

std::optional<float> parse_finite(std::string_view field) {
  field = LineReader::trim(field);
  float value = 0;
  const auto [end, ec] = std::from_chars(field.data(), field.data() + field.size(), value);
  if (field.empty() || ec != std::errc() || end != field.data() + field.size() || !std::isfinite(value))
    return std::nullopt;
  return value;
}

std::size_t parse_label(std::string_view field, std::size_t num_classes, const std::string& file, std::size_t line) {
  const auto label = parse_unsigned(field);
  if (!label || *label >= num_classes)
    throw DataError(file, line,
                    "label " + quoted_text(field) + " is not an integer in 0.." + std::to_string(num_classes - 1));
  return static_cast<std::size_t>(*label);
}

// `expected` says what a row holds, e.g. "4 features and a label".
[[noreturn]] void throw_field_count(std::size_t found, const std::string& expected, const std::string& file,
                                    std::size_t line) {
  throw DataError(file, line, "expected " + expected + ", found " + std::to_string(found) + " fields");
}

Array<float> to_matrix(const std::vector<float>& values, std::size_t rows, std::size_t cols) {
  auto out = Array<float>::from_shape({rows, cols});
  std::copy(values.begin(), values.end(), out.data());
  return out;
}

}  // namespace

Dataset parse_iris_csv(std::string_view content, const std::string& file) {
  const std::string header_format = "'<rows>,<features>,<class name>,...'";
  LineReader lines(content);
  std::string_view line;
  if (!lines.next(line)) throw DataError(file, 1, "empty file, expected the header " + header_format);
  std::vector<std::string_view> fields;
  split(line, ',', fields);
  const auto rows = fields.size() >= 3 ? parse_unsigned(fields[0]) : std::nullopt;
  const auto cols = fields.size() >= 3 ? parse_unsigned(fields[1]) : std::nullopt;
  if (!rows || !cols || *rows == 0 || *cols == 0)
    throw DataError(file, 1, "bad header " + quoted_text(line) + ", expected " + header_format);
  Dataset out;
  for (std::size_t i = 2; i < fields.size(); ++i) {
    const auto name = LineReader::trim(fields[i]);
    if (name.empty()) throw DataError(file, 1, "bad header: class name " + std::to_string(i - 1) + " is empty");
    out.class_names.emplace_back(name);
  }

  const std::string row_format = std::to_string(*cols) + " features and a label, comma-separated";
  std::vector<float> values;
  while (lines.next_nonblank(line)) {
    if (out.labels.size() == *rows)
      throw DataError(file, lines.number(), "more rows than the " + std::to_string(*rows) + " the header announces");
    split(line, ',', fields);
    if (fields.size() - 1 != *cols) throw_field_count(fields.size(), row_format, file, lines.number());
    for (std::size_t j = 0; j < *cols; ++j) {
      const auto v = parse_finite(fields[j]);
      if (!v)
        throw DataError(file, lines.number(),
                        "field " + std::to_string(j + 1) + ": " + quoted_text(fields[j]) + " is not a finite number");
      values.push_back(*v);
    }
    out.labels.push_back(parse_label(fields.back(), out.class_names.size(), file, lines.number()));
  }
  if (out.labels.size() != *rows)
    throw DataError(
        file, 1,
        "the header announces " + std::to_string(*rows) + " rows, the file has " + std::to_string(out.labels.size()));
  out.features = to_matrix(values, out.labels.size(), *cols);
  out.source = file;
  return out;
}

Dataset parse_digits_csv(std::string_view content, const std::string& file) {
  constexpr std::size_t pixels = 64;
  constexpr std::uint64_t max_count = 16;
  LineReader lines(content);
  std::string_view line;
  std::vector<std::string_view> fields;
  std::vector<float> values;
  Dataset out;
  for (int digit = 0; digit < 10; ++digit) out.class_names.push_back(std::to_string(digit));
  while (lines.next_nonblank(line)) {
    split(line, ',', fields);
    if (fields.size() != pixels + 1)
      throw_field_count(fields.size(), "64 pixel counts and a label, comma-separated", file, lines.number());
    for (std::size_t j = 0; j < pixels; ++j) {
      const auto v = parse_unsigned(fields[j]);
      if (!v || *v > max_count)
        throw DataError(
            file, lines.number(),
            "field " + std::to_string(j + 1) + ": " + quoted_text(fields[j]) + " is not a pixel count in 0..16");
      values.push_back(static_cast<float>(*v));
    }
    out.labels.push_back(parse_label(fields.back(), out.class_names.size(), file, lines.number()));
  }
  if (out.labels.empty())
    throw DataError(file, std::max<std::size_t>(lines.number(), 1),
                    "no rows, expected 64 pixel counts and a label per line");
  out.features = to_matrix(values, out.labels.size(), pixels);
  out.source = file;
  return out;
}

TextDataset parse_sentiment_tsv(std::string_view content, const std::string& file) {
  constexpr std::string_view header = "source\tlabel\ttext";
  LineReader lines(content);
  std::string_view line;
  if (!lines.next(line)) throw DataError(file, 1, "empty file, expected the header 'source<TAB>label<TAB>text'");
  if (line != header)
    throw DataError(file, 1, "bad header " + quoted_text(line) + ", expected 'source<TAB>label<TAB>text'");
  TextDataset out;
  out.class_names = {"negative", "positive"};
  std::vector<std::string_view> fields;
  while (lines.next_nonblank(line)) {
    split(line, '\t', fields);
    if (fields.size() != 3)
      throw_field_count(fields.size(), "source, label and text, tab-separated", file, lines.number());
    if (fields[0].empty()) throw DataError(file, lines.number(), "the source is empty");
    const auto label = parse_label(fields[1], out.class_names.size(), file, lines.number());
    out.sources.emplace_back(fields[0]);
    out.labels.push_back(label);
    out.texts.emplace_back(fields[2]);
  }
  if (out.texts.empty()) throw DataError(file, lines.number() + 1, "no sentences after the header");
  return out;
}

Dataset load_iris(const std::string& directory) {
  const auto path = find_data_file("iris.csv", directory);
  return parse_iris_csv(read_text_file(path), path);
}

Dataset load_digits(const std::string& directory) {
  const auto path = find_data_file("digits.csv", directory);
  return parse_digits_csv(read_text_file(path), path);
}

TextDataset load_sentiment(const std::string& directory) {
  const auto path = find_data_file("sentiment_sentences.tsv", directory);
  return parse_sentiment_tsv(read_text_file(path), path);
}

}  // namespace xg::datasets
