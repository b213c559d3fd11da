// save_npy / load_npy: a round trip, and files whose bytes are written out
// here from NumPy's format description (doc/neps/nep-0001-npy-format.rst:
// magic, version, little-endian header length, a dict literal padded with
// spaces and a newline, little-endian C-order data), not by xgrad.

#include <doctest/doctest.h>

#include <cstring>
#include <filesystem>
#include <string>

#include <unistd.h>

#include <xgrad/xgrad.hpp>

#include "exception_message.hpp"

using xg::testing::contains;
using xg::testing::message_of;

namespace {

// A version 1.0 .npy file: the header padded so that magic + 4 + header
// is a multiple of 64 (numpy pads to 64 since 1.15; 16 in the NEP), then the
// raw little-endian values.
template <class S>
std::string handmade_npy(const std::string& dict, const std::vector<S>& values, char major = 1) {
  std::string header = dict;
  const std::size_t prefix = major == 1 ? 10 : 12;
  while ((prefix + header.size() + 1) % 64 != 0) header += ' ';
  header += '\n';
  std::string out = std::string("\x93NUMPY", 6) + major + '\0';
  const std::size_t n = header.size();
  out += static_cast<char>(n & 0xff);
  out += static_cast<char>((n >> 8) & 0xff);
  if (major != 1) out += std::string(2, '\0');
  out += header;
  std::string data(values.size() * sizeof(S), '\0');
  if (!values.empty()) std::memcpy(data.data(), values.data(), data.size());  // this machine is little-endian
  return out + data;
}

}  // namespace

TEST_CASE("npy: reads a float32 matrix written from the format description") {
  const auto bytes =
      handmade_npy<float>("{'descr': '<f4', 'fortran_order': False, 'shape': (2, 3), }", {0.5f, 1, 2, 3, 4, -5.25f});
  // 10 + 59 dict bytes + the newline, padded to 128; then 6 floats.
  REQUIRE(bytes.size() == 128 + 24);
  const auto a = xg::parse_npy<float>(bytes);
  REQUIRE(a.shape() == xg::Array<float>::shape_type{2, 3});
  CHECK(a(0, 0) == 0.5f);
  CHECK(a(0, 2) == 2.0f);
  CHECK(a(1, 2) == -5.25f);
}

TEST_CASE("npy: float64, 1-D, 0-D, empty, Fortran order and version 2.0") {
  const auto v = xg::parse_npy<double>(
      handmade_npy<double>("{'descr': '<f8', 'fortran_order': False, 'shape': (3,), }", {1e-300, 2, 3}));
  REQUIRE(v.dimension() == 1);
  CHECK(v(0) == 1e-300);
  const auto scalar =
      xg::parse_npy<float>(handmade_npy<float>("{'descr': '<f4', 'fortran_order': False, 'shape': (), }", {7}));
  CHECK(scalar.dimension() == 0);
  CHECK(scalar() == 7.0f);
  const auto empty =
      xg::parse_npy<float>(handmade_npy<float>("{'descr': '<f4', 'fortran_order': False, 'shape': (0, 4), }", {}));
  CHECK(empty.shape() == xg::Array<float>::shape_type{0, 4});
  // Column-major: the values of [[1, 2, 3], [4, 5, 6]] are stored 1 4 2 5 3 6.
  const auto f = xg::parse_npy<float>(
      handmade_npy<float>("{'descr': '<f4', 'fortran_order': True, 'shape': (2, 3), }", {1, 4, 2, 5, 3, 6}));
  CHECK(f(0, 1) == 2.0f);
  CHECK(f(1, 0) == 4.0f);
  CHECK(f(1, 2) == 6.0f);
  const auto v2 = xg::parse_npy<float>(
      handmade_npy<float>("{\"descr\": \"<f4\", \"fortran_order\": False, \"shape\": (1,)}", {9}, 2));
  CHECK(v2(0) == 9.0f);
}

TEST_CASE("npy: xgrad writes NumPy's bytes and reads them back") {
  xg::Array<float> a = {{0.5f, 1, 2}, {3, 4, -5.25f}};
  // numpy.save of the same array: the same header text, padded to 64.
  CHECK(xg::npy_bytes(a) ==
        handmade_npy<float>("{'descr': '<f4', 'fortran_order': False, 'shape': (2, 3), }", {0.5f, 1, 2, 3, 4, -5.25f}));
  xg::Array<double> v = {1.0, 2.0, 3.0};
  CHECK(xg::npy_bytes(v) ==
        handmade_npy<double>("{'descr': '<f8', 'fortran_order': False, 'shape': (3,), }", {1, 2, 3}));

  const auto path =
      (std::filesystem::temp_directory_path() / ("xgrad_npy_" + std::to_string(::getpid()) + ".npy")).string();
  xg::save_npy(path, a);
  const auto back = xg::load_npy<float>(path);
  CHECK(back == a);
  const auto message = message_of<xg::io::FormatError>([&] { xg::load_npy<double>(path); });
  CHECK_MESSAGE(contains(message, "dtype '<f4', expected '<f8' (float64, little-endian) for load_npy<double>"),
                message);
  CHECK(contains(message, path));
  std::filesystem::remove(path);
}

TEST_CASE("npy: malformed files are refused, naming what was found") {
  const std::string dict = "{'descr': '<f4', 'fortran_order': False, 'shape': (2,), }";
  const auto error_of = [](const std::string& bytes) {
    return message_of<xg::io::FormatError>([&] { xg::parse_npy<float>(bytes, "x.npy"); });
  };
  CHECK(contains(error_of("PK\x03\x04 not npy"), "x.npy: not a .npy file"));
  CHECK(contains(error_of(handmade_npy<float>(dict, {1})), "needs 8 data bytes, the file has 4"));
  CHECK(contains(error_of(handmade_npy<float>(dict, {1, 2, 3})), "needs 8 data bytes, the file has 12"));
  CHECK(contains(error_of(handmade_npy<float>("{'descr': '>f4', 'fortran_order': False, 'shape': (2,), }", {1, 2})),
                 "dtype '>f4', expected '<f4'"));
  CHECK(contains(error_of(handmade_npy<float>("{'descr': '<i8', 'fortran_order': False, 'shape': (1,), }", {1, 2})),
                 "dtype '<i8'"));
  CHECK(contains(error_of(handmade_npy<float>("{'descr': '<f4', 'shape': (2,), }", {1, 2})),
                 "lacks 'descr', 'fortran_order' or 'shape'"));
  CHECK(contains(error_of(handmade_npy<float>(
                     "{'descr': '<f4', 'fortran_order': False, 'shape': (4294967296, 4294967296, 4294967296), }", {})),
                 "more elements than memory can hold"));
  CHECK(contains(error_of(handmade_npy<float>("{'descr': '<f4', 'fortran_order': False, 'shape': (-1,), }", {})),
                 "expected a dimension"));
  auto truncated = handmade_npy<float>(dict, {1, 2});
  truncated.resize(9);
  CHECK(contains(error_of(truncated), "truncated"));
  auto long_header = handmade_npy<float>(dict, {1, 2});
  long_header[8] = '\xff';
  long_header[9] = '\x7f';
  CHECK(contains(error_of(long_header), "the header needs 32767 bytes"));
}
