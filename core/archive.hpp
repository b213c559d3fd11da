#pragma once
// A small versioned binary container of named arrays, numbers, integers and
// strings, shared by model files, optimizer state and checkpoints. Names with
// a common prefix ("optimizer.", "model.") form sections: a checkpoint is one
// archive holding the model's, the optimizer's and the schedule's.
//
// Layout (little-endian): magic "XGRADARC", u32 format version, u32 length
// and bytes of the `kind` string (e.g. "module", "optimizer"), u64 entry
// count, then per entry: u32 name length, name, u8 type tag, u32 rank,
// u64 dims..., u64 payload length, payload; finally the CRC-32 of every byte
// before it. Readers check each field and name the one that failed. Format 2
// adds integer entries (tag 5, an int64 payload); format 1 stored counts as
// numbers, which get_integer still takes when they are whole.

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
  static constexpr std::uint32_t format_version = 2;

  void put(const std::string& name, const Array<float>& a);
  void put(const std::string& name, const Array<double>& a);
  void put_number(const std::string& name, double value);
  void put_integer(const std::string& name, std::int64_t value);
  void put_string(const std::string& name, const std::string& value);

  bool contains(const std::string& name) const;
  // Typed reads; each throws FormatError naming the entry when it is missing
  // or holds another type. Arrays convert between float and double, and
  // get_number takes an integer entry too.
  template <class Scalar>
  Array<Scalar> get_array(const std::string& name) const;
  double get_number(const std::string& name) const;
  // An integer entry, or a number entry holding a whole number of magnitude
  // at most 2^53 (how format 1 stored counts).
  std::int64_t get_integer(const std::string& name) const;
  std::string get_string(const std::string& name) const;
  std::vector<std::string> names() const;  // in insertion order

  // The entries whose names start with `prefix`, the prefix taken off, as an
  // archive of their own (read from the same source); and the reverse, each
  // entry of `section` put under `prefix`.
  Archive section(std::string_view prefix) const;
  void put_section(const std::string& prefix, const Archive& section);

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
  using Value = std::variant<ArrayF, ArrayD, double, std::string, std::int64_t>;
  std::vector<std::pair<std::string, Value>> entries_;
  std::map<std::string, std::size_t> index_;
  std::string source_ = "<memory>";  // the file it was read from, for messages
  void insert(const std::string& name, Value v);
  const Value& find(const std::string& name, const char* wanted) const;
};

// CRC-32 (IEEE 802.3, the one of zlib and PNG).
std::uint32_t crc32(std::string_view bytes, std::uint32_t crc = 0);

}  // namespace xg::io
