// save_npz / load_npz: the fixtures written by Python's zipfile as
// numpy.savez writes them (tests/interop/npz_fixture.py, committed in tests/data),
// a round trip, and damaged archives.

#include <doctest/doctest.h>

#include <filesystem>
#include <map>
#include <string>

#include <unistd.h>

#include <xgrad/xgrad.hpp>

#include "exception_message.hpp"

using xg::testing::contains;
using xg::testing::message_of;

namespace {

std::string fixture(const std::string& name) { return xg::io::read_file(XGRAD_TESTS_DIR "/data/" + name, "test"); }

}  // namespace

TEST_CASE("npz: reads the arrays numpy.savez's layout holds (zip64 local headers)") {
  const auto arrays = xg::parse_npz<float>(fixture("fixture.npz"), "fixture.npz");
  REQUIRE(arrays.size() == 2);
  const auto& w = arrays.at("weight");
  REQUIRE(w.shape() == xg::Array<float>::shape_type{2, 3});
  CHECK(w(0, 0) == 0.5f);
  CHECK(w(1, 2) == -5.25f);
  const auto& b = arrays.at("bias");
  CHECK(b(0) == 0.125f);
  CHECK(b(2) == 1e-3f);
  const auto message = message_of<xg::io::FormatError>([] { xg::parse_npz<double>(fixture("fixture.npz"), "f.npz"); });
  CHECK_MESSAGE(contains(message, "f.npz: entry 'weight.npy'"), message);
  CHECK(contains(message, "dtype '<f4', expected '<f8'"));
}

TEST_CASE("npz: compressed archives (savez_compressed) are refused by name") {
  const auto message =
      message_of<xg::io::FormatError>([] { xg::parse_npz<float>(fixture("fixture_compressed.npz"), "c.npz"); });
  CHECK_MESSAGE(contains(message, "c.npz: entry 'weight.npy' is compressed (method 8; numpy.savez_compressed)"),
                message);
}

TEST_CASE("npz: xgrad's archives round trip, and damage is refused") {
  const std::map<std::string, xg::Array<double>> arrays = {{"a", {{1.0, 2.0}, {3.0, 4.0}}}, {"b", {1e-300}}};
  const auto path =
      (std::filesystem::temp_directory_path() / ("xgrad_npz_" + std::to_string(::getpid()) + ".npz")).string();
  xg::save_npz(path, arrays);
  const auto back = xg::load_npz<double>(path);
  CHECK(back == arrays);
  std::filesystem::remove(path);

  const auto bytes = xg::npz_bytes(arrays);
  // Each entry is "<name>.npy" holding exactly npy_bytes of its array.
  CHECK(contains(bytes, "a.npy" + xg::npy_bytes(arrays.at("a"))));
  const auto error_of = [](const std::string& b) {
    return message_of<xg::io::FormatError>([&] { xg::parse_npz<double>(b, "d.npz"); });
  };
  CHECK(contains(error_of("not a zip at all, just text that is long enough"), "no zip end of central directory"));
  auto flipped = bytes;
  flipped[bytes.find("a.npy") + 5 + 80] ^= 1;  // a data byte of entry a
  CHECK(contains(error_of(flipped), "entry 'a.npy': the CRC-32 does not match the data"));
  auto cut = bytes.substr(40);  // the local headers are gone, the directory's offsets now point elsewhere
  CHECK(contains(error_of(cut), "d.npz"));
}
