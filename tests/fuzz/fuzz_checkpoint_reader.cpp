// libFuzzer target for the checkpoint reader: xg::read_checkpoint_bytes, then
// xg::load_checkpoint_bytes into a model, optimizer and schedule, and under
// them io::Archive::from_bytes. Any bytes must either parse or throw the
// exceptions the readers document (io::FormatError for the file,
// std::invalid_argument or xg::ShapeError for state that does not fit the
// objects); nothing else may escape, crash or leak.
//
// Checksums reject almost every mutation before the contents are used, so
// each input is also tried with its checksum (the last four bytes)
// recomputed.

#include <cstddef>
#include <cstdint>
#include <stdexcept>
#include <string>
#include <string_view>

#include <xgrad/core/archive.hpp>
#include <xgrad/train/checkpoint.hpp>

#include "checkpoint_objects.hpp"

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
        try {
          (void)archive.get_integer(name);
        } catch (const xg::io::FormatError&) {
        }
      } catch (const xg::io::FormatError&) {
        (void)archive.get_string(name);
      }
    }
  }
}

// A parsed archive gives back every entry through its typed getters and
// writes out to the bytes it was read from (one of an older format version
// writes out in the current one, which then reads back the same).
void parse_archive(std::string_view bytes) {
  xg::io::Archive archive;
  try {
    archive = xg::io::Archive::from_bytes(bytes, kind, "fuzz input");
  } catch (const xg::io::FormatError&) {
    return;
  }
  read_everything(archive);
  const std::string written = archive.to_bytes(kind);
  const bool current_version = static_cast<unsigned char>(bytes[8]) == xg::io::Archive::format_version;
  if (current_version ? written != bytes : xg::io::Archive::from_bytes(written, kind).to_bytes(kind) != written)
    __builtin_trap();
}

// A parsed checkpoint, written out, reads back to the same contents (the
// written form is canonical: sections and keys in a fixed order), and loads
// into the objects or is refused with a documented exception.
void parse_checkpoint(std::string_view bytes) {
  xg::CheckpointContents contents;
  try {
    contents = xg::read_checkpoint_bytes(bytes, "fuzz input");
  } catch (const xg::io::FormatError&) {
    return;
  }
  const std::string written = xg::checkpoint_to_bytes(contents);
  if (xg::checkpoint_to_bytes(xg::read_checkpoint_bytes(written)) != written) __builtin_trap();

  static xg::fuzz::CheckpointObjects objects;
  try {
    xg::load_checkpoint_bytes(bytes, objects.model, objects.optimizer,
                              contents.scheduler ? &objects.scheduler : nullptr, "fuzz input");
  } catch (const xg::io::FormatError&) {
  } catch (const std::invalid_argument&) {
  }
}

void put_crc(std::string& bytes, std::size_t at, std::string_view checked) {
  const std::uint32_t crc = xg::io::crc32(checked);
  for (std::size_t i = 0; i < 4; ++i) bytes[at + i] = static_cast<char>((crc >> (8 * i)) & 0xFFu);
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string bytes(reinterpret_cast<const char*>(data), size);
  parse_archive(bytes);
  parse_checkpoint(bytes);
  if (size >= 4) {
    std::string patched = bytes;
    put_crc(patched, size - 4, std::string_view(patched).substr(0, size - 4));
    parse_archive(patched);
    parse_checkpoint(patched);
  }
  return 0;
}
