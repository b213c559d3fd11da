#include <xgrad/core/npy.hpp>

#include <algorithm>
#include <bit>
#include <cctype>
#include <cstdint>
#include <cstring>
#include <optional>
#include <vector>

#include <xtensor/xmanipulation.hpp>

#include <xgrad/core/atomic_file.hpp>
#include <xgrad/core/detail/byte_reader.hpp>

namespace xg {

namespace {

static_assert(std::endian::native == std::endian::little, "the .npy reader copies little-endian data as is");

template <class S>
constexpr std::string_view descr_of() {
  return sizeof(S) == 4 ? "<f4" : "<f8";
}

template <class S>
constexpr std::string_view dtype_name() {
  return sizeof(S) == 4 ? "float32" : "float64";
}

// The header's dict literal, as numpy writes it:
// {'descr': '<f4', 'fortran_order': False, 'shape': (2, 3), }
struct Header {
  std::string descr;
  bool fortran_order = false;
  std::vector<std::size_t> shape;
};

class HeaderParser {
 public:
  HeaderParser(std::string_view text, const std::string& source) : text_(text), source_(source) {}

  Header parse() {
    Header out;
    bool descr = false, order = false, shape = false;
    expect('{');
    while (!peek('}')) {
      const std::string key = string_literal();
      expect(':');
      if (key == "descr") {
        out.descr = string_literal();
        descr = true;
      } else if (key == "fortran_order") {
        out.fortran_order = boolean();
        order = true;
      } else if (key == "shape") {
        out.shape = tuple();
        shape = true;
      } else {
        fail("unexpected key '" + key + "'");
      }
      if (!peek('}')) expect(',');
    }
    expect('}');
    if (!descr || !order || !shape) fail("the header lacks 'descr', 'fortran_order' or 'shape'");
    return out;
  }

 private:
  [[noreturn]] void fail(const std::string& what) const {
    throw io::FormatError(source_ + ": not a .npy header we can read: " + what + " at header byte " +
                          std::to_string(pos_));
  }
  void skip_space() {
    while (pos_ < text_.size() && std::isspace(static_cast<unsigned char>(text_[pos_]))) ++pos_;
  }
  bool peek(char c) {
    skip_space();
    return pos_ < text_.size() && text_[pos_] == c;
  }
  void expect(char c) {
    if (!peek(c)) fail(std::string("expected '") + c + "'");
    ++pos_;
  }
  std::string string_literal() {
    skip_space();
    if (pos_ >= text_.size() || (text_[pos_] != '\'' && text_[pos_] != '"')) fail("expected a quoted string");
    const char quote = text_[pos_++];
    const auto end = text_.find(quote, pos_);
    if (end == std::string_view::npos || end - pos_ > 64) fail("unterminated or overlong string");
    std::string out(text_.substr(pos_, end - pos_));
    pos_ = end + 1;
    return out;
  }
  bool boolean() {
    skip_space();
    for (const bool value : {true, false}) {
      const std::string_view word = value ? "True" : "False";
      if (text_.substr(pos_).starts_with(word)) {
        pos_ += word.size();
        return value;
      }
    }
    fail("expected True or False");
  }
  std::vector<std::size_t> tuple() {
    std::vector<std::size_t> out;
    expect('(');
    while (!peek(')')) {
      if (out.size() == 32) fail("more than 32 dimensions");
      skip_space();
      std::size_t value = 0;
      const std::size_t start = pos_;
      while (pos_ < text_.size() && std::isdigit(static_cast<unsigned char>(text_[pos_]))) {
        const std::size_t digit = static_cast<std::size_t>(text_[pos_++] - '0');
        if (value > (SIZE_MAX - digit) / 10) fail("a dimension overflows");
        value = value * 10 + digit;
      }
      if (pos_ == start) fail("expected a dimension");
      out.push_back(value);
      if (!peek(')')) expect(',');
    }
    expect(')');
    return out;
  }

  std::string_view text_;
  const std::string& source_;
  std::size_t pos_ = 0;
};

template <class Dims>
std::string shape_literal(const Dims& shape) {
  std::string out = "(";
  for (std::size_t i = 0; i < shape.size(); ++i) out += (i ? ", " : "") + std::to_string(shape[i]);
  return out + (shape.size() == 1 ? ",)" : ")");
}

}  // namespace

template <class S>
std::string npy_bytes(const Array<S>& array) {
  std::string header = "{'descr': '" + std::string(descr_of<S>()) +
                       "', 'fortran_order': False, 'shape': " + shape_literal(array.shape()) + ", }";
  // magic (6) + version (2) + length (2) + header + '\n' is a multiple of 64.
  const std::size_t unpadded = 10 + header.size() + 1;
  header.append((64 - unpadded % 64) % 64, ' ');
  header += '\n';
  std::string out("\x93NUMPY\x01\x00", 8);
  io::put_uint<std::uint16_t>(out, static_cast<std::uint16_t>(header.size()));
  out += header;
  const std::size_t data_start = out.size();
  out.resize(data_start + array.size() * sizeof(S));
  if (array.size()) std::memcpy(out.data() + data_start, array.data(), array.size() * sizeof(S));
  return out;
}

template <class S>
Array<S> parse_npy(std::string_view bytes, const std::string& source) {
  io::ByteReader reader(bytes, source);
  if (reader.read_bytes(6, "the magic string") != std::string_view("\x93NUMPY", 6))
    reader.fail("not a .npy file (no \\x93NUMPY magic string)");
  const auto major = reader.read_uint<std::uint8_t>("the major version");
  reader.read_uint<std::uint8_t>("the minor version");
  if (major < 1 || major > 3)
    reader.fail("format version " + std::to_string(major) + " is not one of the .npy versions 1, 2 and 3");
  const std::uint64_t header_length = major == 1 ? reader.read_uint<std::uint16_t>("the header length")
                                                 : reader.read_uint<std::uint32_t>("the header length");
  const Header header = HeaderParser(reader.read_bytes(header_length, "the header"), source).parse();
  if (header.descr != descr_of<S>())
    reader.fail("dtype '" + header.descr + "', expected '" + std::string(descr_of<S>()) + "' (" +
                std::string(dtype_name<S>()) + ", little-endian) for load_npy<" +
                (sizeof(S) == 4 ? "float" : "double") + ">");
  std::size_t numel = 1;
  for (const auto d : header.shape)
    if (d != 0 && numel > SIZE_MAX / sizeof(S) / d)
      reader.fail("the shape " + shape_to_string(header.shape) + " has more elements than memory can hold");
    else
      numel *= d;
  if (reader.remaining() != numel * sizeof(S))
    reader.fail("the shape " + shape_to_string(header.shape) + " needs " + std::to_string(numel * sizeof(S)) +
                " data bytes, the file has " + std::to_string(reader.remaining()));
  const std::string_view data = reader.read_bytes(numel * sizeof(S), "the data");
  Shape shape(header.shape.begin(), header.shape.end());
  if (header.fortran_order) std::reverse(shape.begin(), shape.end());
  Array<S> out = Array<S>::from_shape(shape);
  if (numel) std::memcpy(out.data(), data.data(), data.size());
  if (!header.fortran_order) return out;
  Array<S> c_order = xt::transpose(out);
  return c_order;
}

template <class S>
void save_npy(const std::string& path, const Array<S>& array) {
  io::write_file_atomically(path, npy_bytes(array), "save_npy");
}

template <class S>
Array<S> load_npy(const std::string& path) {
  return parse_npy<S>(io::read_file(path, "load_npy"), "load_npy '" + path + "'");
}

template std::string npy_bytes(const Array<float>&);
template std::string npy_bytes(const Array<double>&);
template Array<float> parse_npy(std::string_view, const std::string&);
template Array<double> parse_npy(std::string_view, const std::string&);
template void save_npy(const std::string&, const Array<float>&);
template void save_npy(const std::string&, const Array<double>&);
template Array<float> load_npy(const std::string&);
template Array<double> load_npy(const std::string&);

}  // namespace xg
