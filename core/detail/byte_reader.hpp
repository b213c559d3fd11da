#pragma once
// Fixed-width little-endian fields in a byte string, the encoding under
// archives and checkpoints: put_uint appends one, ByteReader reads them back
// in order and never trusts a length. Every read is checked against the bytes
// that remain, so damaged input costs an io::FormatError naming the field, not
// a crash or a huge allocation.

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <utility>

#include <xgrad/core/archive.hpp>

namespace xg::io {

template <class U>
void put_uint(std::string& out, U v) {
  for (std::size_t i = 0; i < sizeof(U); ++i) out.push_back(static_cast<char>((v >> (8 * i)) & 0xFFu));
}

class ByteReader {
 public:
  // `context` starts every message, e.g. "archive 'run.bin'".
  ByteReader(std::string_view bytes, std::string context) : bytes_(bytes), context_(std::move(context)) {}

  std::size_t position() const { return pos_; }
  std::size_t remaining() const { return bytes_.size() - pos_; }

  [[noreturn]] void fail(const std::string& what) const { throw FormatError(context_ + ": " + what); }

  void need(std::uint64_t n, std::string_view field) const {
    if (n > remaining())
      fail("truncated or corrupted: " + std::string(field) + " needs " + std::to_string(n) + " bytes at offset " +
           std::to_string(pos_) + " but only " + std::to_string(remaining()) + " remain");
  }

  std::string_view read_bytes(std::uint64_t n, std::string_view field) {
    need(n, field);
    const auto out = bytes_.substr(pos_, static_cast<std::size_t>(n));
    pos_ += static_cast<std::size_t>(n);
    return out;
  }

  template <class U>
  U read_uint(std::string_view field) {
    const std::string_view raw = read_bytes(sizeof(U), field);
    U v = 0;
    for (std::size_t i = 0; i < sizeof(U); ++i) v |= static_cast<U>(static_cast<unsigned char>(raw[i])) << (8 * i);
    return v;
  }

 private:
  std::string_view bytes_;
  std::string context_;
  std::size_t pos_ = 0;
};

}  // namespace xg::io
