// libFuzzer target for the reader under checkpoints: io::Archive::from_bytes.
// Any bytes must either parse or throw io::FormatError; nothing else may
// escape, crash or leak. A parsed archive must give back every entry through
// its typed getters and write out to the same bytes it was read from.
//
// The CRC-32 at the end rejects almost every mutation before the entries are
// used, so each input is also tried with its last four bytes replaced by the
// checksum of the rest, which lets the fuzzer reach the getters.

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include <xgrad/core/archive.hpp>

namespace {

constexpr std::string_view kind = "checkpoint";

void read_everything(const xg::io::Archive& archive) {
  for (const std::string& name : archive.names()) {
    try {
      (void)archive.get_array<float>(name);
      (void)archive.get_array<double>(name);
    } catch (const xg::io::FormatError&) {
      try {
        (void)archive.get_number(name);
      } catch (const xg::io::FormatError&) {
        (void)archive.get_string(name);
      }
    }
  }
}

void parse(std::string_view bytes) {
  xg::io::Archive archive;
  try {
    archive = xg::io::Archive::from_bytes(bytes, kind, "fuzz input");
  } catch (const xg::io::FormatError&) {
    return;
  }
  read_everything(archive);
  const std::string written = archive.to_bytes(kind);
  if (written != bytes) __builtin_trap();
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string bytes(reinterpret_cast<const char*>(data), size);
  parse(bytes);
  if (size >= 4) {
    std::string patched = bytes;
    const std::uint32_t crc = xg::io::crc32(std::string_view(patched).substr(0, size - 4));
    for (std::size_t i = 0; i < 4; ++i) patched[size - 4 + i] = static_cast<char>((crc >> (8 * i)) & 0xFFu);
    parse(patched);
  }
  return 0;
}
