#include <doctest/doctest.h>
#include <unistd.h>

#include <cstdint>
#include <filesystem>
#include <fstream>
#include <string>
#include <vector>
#include <xgrad/core/archive.hpp>

#include "exception_message.hpp"

namespace {

using xg::io::Archive;
using xg::io::FormatError;

// A path of its own for each test, so parallel ctest runs do not collide.
std::string temp_path(const std::string& stem) {
  return (std::filesystem::temp_directory_path() / ("xgrad_archive_" + stem + "_" + std::to_string(::getpid())))
      .string();
}

// One float32 entry "w" = [1.5, -2] in a "test" archive. By the documented
// layout: magic 8 + version 4 + kind length 4 + "test" 4 + count 8 = 28 bytes
// of header; the entry is name length 4 + "w" 1 + tag 1 + rank 4 + one dim 8
// + payload length 8 + 2 floats 8 = 34 bytes; then CRC 4: 66 bytes in all.
Archive small_archive() {
  Archive a;
  a.put("w", xg::Array<float>{1.5f, -2.0f});
  return a;
}
constexpr std::size_t small_size = 66;
constexpr std::size_t small_tag_offset = 33;
constexpr std::size_t small_payload_length_offset = 46;

std::string with_fixed_crc(std::string bytes) {
  const auto crc = xg::io::crc32(std::string_view(bytes).substr(0, bytes.size() - 4));
  for (int i = 0; i < 4; ++i) bytes[bytes.size() - 4 + i] = static_cast<char>((crc >> (8 * i)) & 0xFF);
  return bytes;
}

std::string message_of(const std::string& bytes, std::string_view kind = "test") {
  try {
    Archive::from_bytes(bytes, kind, "small.xga");
  } catch (const FormatError& e) {
    return e.what();
  }
  return "<no exception>";
}

doctest::Contains has(const std::string& text) { return doctest::Contains(doctest::String(text.c_str())); }

using xg::testing::contains;

}  // namespace

TEST_CASE("archive: crc32 matches the standard check value") {
  // The CRC-32/ISO-HDLC catalogue's check value for "123456789".
  CHECK(xg::io::crc32("123456789") == 0xCBF43926u);
  CHECK(xg::io::crc32("") == 0u);
  // Incremental use continues a running checksum.
  CHECK(xg::io::crc32("6789", xg::io::crc32("12345")) == 0xCBF43926u);
}

TEST_CASE("archive: crc32 equals the bit-at-a-time definition at every length and alignment") {
  // The reflected polynomial 0xEDB88320 applied one bit at a time, as the
  // standard defines it, against the table-driven code's eight bytes per step.
  auto reference = [](std::string_view bytes) {
    std::uint32_t crc = 0xFFFFFFFFu;
    for (char ch : bytes) {
      crc ^= static_cast<unsigned char>(ch);
      for (int k = 0; k < 8; ++k) crc = (crc & 1u) ? 0xEDB88320u ^ (crc >> 1) : crc >> 1;
    }
    return ~crc;
  };
  std::string bytes;
  std::uint32_t x = 12345;
  for (int i = 0; i < 100; ++i) {
    x = x * 1103515245u + 12345u;
    bytes.push_back(static_cast<char>(x >> 24));
  }
  for (std::size_t start = 0; start < 8; ++start)
    for (std::size_t length = 0; start + length <= bytes.size(); ++length) {
      CAPTURE(start);
      CAPTURE(length);
      const auto piece = std::string_view(bytes).substr(start, length);
      REQUIRE(xg::io::crc32(piece) == reference(piece));
    }
}

TEST_CASE("archive: the byte layout is the documented one") {
  const std::string bytes = small_archive().to_bytes("test");
  REQUIRE(bytes.size() == small_size);
  CHECK(bytes.substr(0, 8) == "XGRADARC");
  CHECK(bytes[8] == 2);  // version 2, little-endian u32
  CHECK(bytes[12] == 4);
  CHECK(bytes.substr(16, 4) == "test");
  CHECK(bytes[20] == 1);  // one entry
  CHECK(bytes[32] == 'w');
  CHECK(bytes[small_payload_length_offset] == 8);  // two floats
}

TEST_CASE("archive: round trip of arrays, numbers and strings in insertion order") {
  Archive a;
  xg::Array<float> f = {{1.0f, 2.0f, 3.0f}, {4.0f, 5.0f, 6.0f}};
  xg::Array<double> d = {0.1, -1e300, 3.0};
  a.put("layer.weight", f);
  a.put("moments", d);
  a.put_number("step", 42.0);
  a.put_string("name", std::string("adam\0w", 6));
  a.put("scalar", xg::Array<double>(7.5));
  a.put("empty", xg::Array<float>::from_shape({0, 3}));

  const Archive b = Archive::from_bytes(a.to_bytes("state"), "state");
  CHECK(b.names() == std::vector<std::string>{"layer.weight", "moments", "step", "name", "scalar", "empty"});
  CHECK(b.get_array<float>("layer.weight") == f);
  CHECK(b.get_array<double>("moments") == d);
  CHECK(b.get_number("step") == 42.0);
  CHECK(b.get_string("name") == std::string("adam\0w", 6));
  CHECK(b.get_array<double>("scalar").dimension() == 0);
  CHECK(b.get_array<double>("scalar")() == 7.5);
  CHECK(b.get_array<float>("empty").shape() == xg::Array<float>::shape_type{0, 3});
  // float32 is widened exactly; 0.1 narrows to the nearest float.
  CHECK(b.get_array<double>("layer.weight")(1, 2) == 6.0);
  CHECK(b.get_array<float>("moments")(0) == 0.1f);
}

TEST_CASE("archive: put on an existing name replaces the value in place") {
  Archive a;
  a.put_number("x", 1.0);
  a.put_number("y", 2.0);
  a.put_string("x", "now a string");
  CHECK(a.names() == std::vector<std::string>{"x", "y"});
  CHECK(a.get_string("x") == "now a string");
}

TEST_CASE("archive: missing entries and wrong types name the entry") {
  Archive a;
  a.put_number("lr", 0.1);
  CHECK(a.contains("lr"));
  CHECK_FALSE(a.contains("momentum"));
  CHECK_THROWS_WITH_AS(a.get_number("momentum"), doctest::Contains("'momentum'"), FormatError);
  CHECK_THROWS_WITH_AS(a.get_array<float>("lr"), doctest::Contains("'lr' holds a number, not an array"), FormatError);
  CHECK_THROWS_WITH_AS(a.get_string("lr"), doctest::Contains("not a string"), FormatError);
}

TEST_CASE("archive: save and load through a file, atomically") {
  const std::string path = temp_path("roundtrip");
  Archive a;
  a.put("w", xg::Array<double>{{1.0, 2.0}, {3.0, 4.0}});
  a.save(path, "module");
  // No temporary (path + ".tmp." and a random suffix) is left behind.
  for (const auto& entry : std::filesystem::directory_iterator(std::filesystem::temp_directory_path()))
    CHECK_FALSE(entry.path().string().starts_with(path + ".tmp"));
  CHECK(Archive::load(path, "module").get_array<double>("w")(1, 0) == 3.0);

  Archive replacement;
  replacement.put_number("v", 2.0);
  replacement.save(path, "module");
  CHECK(Archive::load(path, "module").get_number("v") == 2.0);
  CHECK_THROWS_WITH_AS(Archive::load(path, "optimizer"),
                       doctest::Contains("holds an archive of kind 'module', but kind 'optimizer' was expected"),
                       FormatError);
  CHECK_THROWS_WITH_AS(Archive::load(path, "optimizer"), has(path), FormatError);
  std::filesystem::remove(path);
}

TEST_CASE("archive: open failures name the path and the system's reason") {
  const std::string missing = temp_path("does_not_exist");
  CHECK_THROWS_WITH_AS(Archive::load(missing, "module"),
                       has("cannot open '" + missing + "': No such file or directory"), std::runtime_error);
  const std::string bad_dir = temp_path("no_such_dir") + "/model.xga";
  CHECK_THROWS_WITH_AS(small_archive().save(bad_dir, "module"), has("'" + bad_dir + ".tmp."), std::runtime_error);
  const std::string dir = std::filesystem::temp_directory_path().string();
  CHECK_THROWS_WITH_AS(Archive::load(dir, "module"), doctest::Contains("Is a directory"), std::runtime_error);
}

TEST_CASE("archive: a bad magic, a newer version and another kind are named") {
  std::string bytes = small_archive().to_bytes("test");
  CHECK(contains(message_of("PK\x03\x04 not ours at all"), "not an xgrad archive"));
  CHECK(contains(message_of("XGRA"), "too short"));
  CHECK(contains(message_of(""), "'small.xga'"));

  std::string newer = bytes;
  newer[8] = 3;
  const std::string msg = message_of(with_fixed_crc(newer));
  CHECK(contains(msg, "format version 3 is newer than supported"));
  CHECK(contains(msg, "'small.xga'"));

  CHECK(contains(message_of(bytes, "module"), "holds an archive of kind 'test', but kind 'module' was expected"));
}

TEST_CASE("archive: an unknown type tag and lengths past the end are named even with a valid checksum") {
  std::string bytes = small_archive().to_bytes("test");
  std::string bad_tag = bytes;
  bad_tag[small_tag_offset] = 9;
  CHECK(contains(message_of(with_fixed_crc(bad_tag)), "unknown type tag 9"));

  std::string long_payload = bytes;
  long_payload[small_payload_length_offset + 7] = 0x10;  // 2^60 + 8 bytes
  CHECK(contains(message_of(with_fixed_crc(long_payload)), "only 12 remain"));

  std::string huge_dim = bytes;
  for (int i = 0; i < 8; ++i) huge_dim[38 + i] = '\xFF';
  CHECK(contains(message_of(with_fixed_crc(huge_dim)), "cannot have a payload of 8 bytes"));

  std::string huge_name = bytes;
  huge_name[31] = 0x7F;  // name length ~2^30
  CHECK(contains(message_of(with_fixed_crc(huge_name)), "entry 0 name needs"));

  std::string trailing = bytes + "xx";
  CHECK(contains(message_of(trailing), "unexpected bytes after the checksum"));
}

TEST_CASE("archive: truncation at every byte offset throws FormatError") {
  const std::string bytes = small_archive().to_bytes("test");
  for (std::size_t n = 0; n < bytes.size(); ++n) {
    CAPTURE(n);
    CHECK_THROWS_AS(Archive::from_bytes(std::string_view(bytes).substr(0, n), "test", "small.xga"), FormatError);
  }
}

TEST_CASE("archive: every single flipped byte is caught") {
  Archive a;
  a.put("w", xg::Array<float>{1.5f, -2.0f});
  a.put_number("n", 3.0);
  a.put_string("s", "ab");
  const std::string bytes = a.to_bytes("test");
  for (std::size_t i = 0; i < bytes.size(); ++i) {
    for (unsigned char mask : {0x01, 0x80, 0xFF}) {
      CAPTURE(i);
      CAPTURE(int(mask));
      std::string corrupted = bytes;
      corrupted[i] = static_cast<char>(static_cast<unsigned char>(corrupted[i]) ^ mask);
      CHECK_THROWS_AS(Archive::from_bytes(corrupted, "test", "small.xga"), FormatError);
    }
  }
  std::string payload_flip = bytes;
  payload_flip[56] ^= 0x01;  // inside the floats of "w"
  CHECK(contains(message_of(payload_flip), "CRC-32 checksum mismatch"));
}

TEST_CASE("archive: integers keep all 64 bits; whole numbers of format 1 read as integers, other numbers do not") {
  Archive a;
  a.put_integer("big", (std::int64_t{1} << 62) + 1);  // not representable as a double
  a.put_integer("negative", -7);
  a.put_number("whole", 9007199254740992.0);  // 2^53, how format 1 stored counts
  a.put_number("half", 2.5);
  a.put_number("huge", 1e300);
  const Archive b = Archive::from_bytes(a.to_bytes("test"), "test");
  CHECK(b.get_integer("big") == (std::int64_t{1} << 62) + 1);
  CHECK(b.get_integer("negative") == -7);
  CHECK(b.get_number("negative") == -7.0);
  CHECK(b.get_integer("whole") == std::int64_t{1} << 53);
  CHECK_THROWS_WITH_AS(b.get_integer("half"), doctest::Contains("entry 'half' holds 2.5, not a whole number"),
                       FormatError);
  CHECK_THROWS_WITH_AS(b.get_integer("huge"), doctest::Contains("entry 'huge' holds 1e+300, not a whole number"),
                       FormatError);
  a.put_string("text", "3");
  CHECK_THROWS_WITH_AS(a.get_integer("text"), doctest::Contains("'text' holds a string, not an integer"), FormatError);
}

TEST_CASE("archive: an integer entry in a format 1 archive is an unknown type tag") {
  Archive a;
  a.put_integer("n", 3);
  std::string bytes = a.to_bytes("test");
  bytes[8] = 1;  // format version 1, which had no integers
  CHECK(contains(message_of(with_fixed_crc(bytes)), "unknown type tag 5"));
}

TEST_CASE("archive: sections are the entries under a prefix, taken off and put back") {
  Archive inner;
  inner.put_integer("step", 4);
  inner.put_string("type", "StepLR");
  Archive outer;
  outer.put_number("loss", 0.5);
  outer.put_section("scheduler.", inner);
  CHECK(outer.names() == std::vector<std::string>{"loss", "scheduler.step", "scheduler.type"});
  const Archive back = outer.section("scheduler.");
  CHECK(back.names() == std::vector<std::string>{"step", "type"});
  CHECK(back.get_integer("step") == 4);
  CHECK(back.to_bytes("s") == inner.to_bytes("s"));
  CHECK(outer.section("model.").names().empty());
}
