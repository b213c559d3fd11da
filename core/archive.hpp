#pragma once
// A small versioned binary container of named arrays, numbers and strings,
// shared by model files, optimizer state and checkpoints.
//
// Layout (little-endian): magic "XGRADARC", u32 format version, u32 length
// and bytes of the `kind` string (e.g. "module", "optimizer"), u64 entry
// count, then per entry: u32 name length, name, u8 type tag, u32 rank,
// u64 dims..., u64 payload length, payload; finally the CRC-32 of every byte
// before it. Readers check each field and name the one that failed.

#include <cstdint>
#include <map>
#include <stdexcept>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include <xgrad/core/array.hpp>

namespace xg::io {

// A file or byte string that is not a valid archive: truncated, corrupted,
// of another kind or of a newer version. The message names the file and the
// check that failed, with what was expected and what was found.
class FormatError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

class Archive {
 public:
  static constexpr std::uint32_t format_version = 1;

  void put(const std::string& name, const Array<float>& a);
  void put(const std::string& name, const Array<double>& a);
  void put_number(const std::string& name, double value);
  void put_string(const std::string& name, const std::string& value);

  bool contains(const std::string& name) const;
  // Typed reads; each throws FormatError naming the entry when it is missing
  // or holds another type. Arrays convert between float and double.
  template <class Scalar>
  Array<Scalar> get_array(const std::string& name) const;
  double get_number(const std::string& name) const;
  std::string get_string(const std::string& name) const;
  std::vector<std::string> names() const;  // in insertion order

  std::string to_bytes(std::string_view kind) const;
  static Archive from_bytes(std::string_view bytes, std::string_view kind, const std::string& source = "<memory>");

  // Writes to `path.tmp`, flushes it to disk (fsync) and renames it over
  // `path`, so a crash leaves the old file or the new one, never half of one.
  void save(const std::string& path, std::string_view kind) const;
  static Archive load(const std::string& path, std::string_view kind);

 private:
  struct ArrayF {
    Shape shape;
    std::vector<float> data;
  };
  struct ArrayD {
    Shape shape;
    std::vector<double> data;
  };
  using Value = std::variant<ArrayF, ArrayD, double, std::string>;
  std::vector<std::pair<std::string, Value>> entries_;
  std::map<std::string, std::size_t> index_;
  std::string source_ = "<memory>";  // the file it was read from, for messages
  void insert(const std::string& name, Value v);
  const Value& find(const std::string& name, const char* wanted) const;
};

// CRC-32 (IEEE 802.3, the one of zlib and PNG).
std::uint32_t crc32(std::string_view bytes, std::uint32_t crc = 0);

}  // namespace xg::io
