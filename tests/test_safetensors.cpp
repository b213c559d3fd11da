// Module::save_safetensors / load_safetensors: the fixture written by the
// independent writer tests/interop/safetensors_fixture.py (committed as
// tests/data/fixture.safetensors), a round trip, and every malformed case,
// each of which must leave the model untouched.

#include <doctest/doctest.h>

#include <cstdint>
#include <cstring>
#include <filesystem>
#include <string>

#include <unistd.h>

#include <xgrad/core/detail/byte_reader.hpp>
#include <xgrad/xgrad.hpp>

#include "exception_message.hpp"

using xg::testing::contains;
using xg::testing::message_of;

namespace {

xg::nn::Sequential small_mlp() { return {xg::nn::Linear(3, 4), xg::nn::Tanh(), xg::nn::Linear(4, 2)}; }

std::string fixture_bytes() { return xg::io::read_file(XGRAD_TESTS_DIR "/data/fixture.safetensors", "test"); }

// A file of one header text and data buffer, as the format lays it out.
std::string file_of(const std::string& header, const std::string& data) {
  std::string out;
  xg::io::put_uint<std::uint64_t>(out, header.size());
  return out + header + data;
}

std::string floats(std::initializer_list<float> values) {
  std::string out(values.size() * 4, '\0');
  std::memcpy(out.data(), values.begin(), out.size());
  return out;
}

std::vector<float> flat(const xg::Tensor& t) { return {t.value().begin(), t.value().end()}; }

// Loads `bytes` into a fresh model and returns the FormatError,
// invalid_argument or ShapeError message, checking the model did not change.
std::string refusal(const std::string& bytes, xg::nn::SafetensorsLoadOptions options = {}) {
  auto model = small_mlp();
  std::vector<std::vector<float>> before;
  for (auto& [name, p] : model.named_parameters()) before.push_back(flat(p));
  std::string message = "<loaded>";
  try {
    xg::nn::load_safetensors_bytes(model, bytes, "bad.safetensors", options);
  } catch (const xg::io::FormatError& e) {
    message = e.what();
  } catch (const std::invalid_argument& e) {  // names; xg::ShapeError, for shapes, derives from it
    message = e.what();
  }
  std::size_t i = 0;
  for (auto& named : model.named_parameters()) CHECK_MESSAGE(flat(named.second) == before[i++], named.first);
  return message;
}

}  // namespace

TEST_CASE("safetensors: the independent writer's fixture loads value by value") {
  auto model = small_mlp();
  xg::nn::load_safetensors_bytes(model, fixture_bytes(), "fixture");
  const auto params = model.named_parameters();
  REQUIRE(params.size() == 4);
  // 0.weight, F32: (k - 5) / 8.
  for (std::size_t k = 0; k < 12; ++k) CHECK(params[0].second.value().data()[k] == (static_cast<float>(k) - 5) / 8);
  // 0.bias, F64: 0.1 (k + 1), rounded to float32.
  for (std::size_t k = 0; k < 4; ++k)
    CHECK(params[1].second.value().data()[k] == static_cast<float>(0.1 * static_cast<double>(k + 1)));
  // 2.weight, F16: the largest half, the smallest subnormal 2^-24 and 1/3 rounded to half.
  CHECK(flat(params[2].second) ==
        std::vector<float>{1.5f, -0.25f, 65504.0f, 0x1.0p-24f, 0.0f, -2.0f, 0.333251953125f, 1024.0f});
  // 2.bias, BF16.
  CHECK(flat(params[3].second) == std::vector<float>{3.0f, -0.0078125f});
  // The same model gives the logits of those weights: row 0 of x = (1, 0, 0)
  // gives tanh(column 0 of 0.weight + 0.bias) as the hidden layer.
  const auto out = model(xg::tensor(xg::Array<float>{{1.0f, 0.0f, 0.0f}}));
  double expected = 3.0;
  for (std::size_t j = 0; j < 4; ++j)
    expected += params[2].second.value()(0, j) *
                std::tanh(static_cast<double>(params[0].second.value()(j, 0)) + params[1].second.value()(j));
  CHECK(out.value()(0, 0) == doctest::Approx(expected).epsilon(1e-6));
}

TEST_CASE("safetensors: save and load round trip through a file, names as PyTorch's state_dict") {
  auto model = small_mlp();
  const auto path =
      (std::filesystem::temp_directory_path() / ("xgrad_st_" + std::to_string(::getpid()) + ".safetensors")).string();
  model.save_safetensors(path);
  const auto tensors = xg::nn::read_safetensors_bytes(xg::io::read_file(path, "test"));
  REQUIRE(tensors.size() == 4);
  CHECK(tensors[0].first == "0.weight");
  CHECK(tensors[1].first == "0.bias");
  CHECK(tensors[2].first == "2.weight");
  CHECK(tensors[3].first == "2.bias");
  auto other = small_mlp();
  other.load_safetensors(path);
  const auto a = model.named_parameters(), b = other.named_parameters();
  for (std::size_t i = 0; i < a.size(); ++i) CHECK(flat(a[i].second) == flat(b[i].second));
  // The header is padded to 8 bytes and the data follows it.
  const auto bytes = xg::io::read_file(path, "test");
  std::uint64_t header = 0;
  std::memcpy(&header, bytes.data(), 8);
  CHECK(header % 8 == 0);
  CHECK(bytes.size() == 8 + header + 4 * (12 + 4 + 8 + 2));
  std::filesystem::remove(path);
}

TEST_CASE("safetensors: strict names, or the matching ones with strict = false") {
  const std::string header =
      R"({"0.weight":{"dtype":"F32","shape":[1],"data_offsets":[0,4]},"extra":{"dtype":"F32","shape":[1],"data_offsets":[4,8]}})";
  const auto bytes = file_of(header, floats({1, 2}));
  const auto message = refusal(bytes);
  CHECK_MESSAGE(contains(message, "Missing from the file: '0.bias', '2.weight', '2.bias'"), message);
  CHECK(contains(message, "Unexpected in the file (not in the model): 'extra'"));
  // Shapes are checked with strict = false too.
  CHECK(contains(refusal(file_of(R"({"0.weight":{"dtype":"F32","shape":[1],"data_offsets":[0,4]}})", floats({1})),
                         {.strict = false}),
                 "tensor '0.weight' has shape (1,) in the file but (4, 3) in the model"));

  xg::nn::Linear linear(2, 1);
  const std::string partial =
      R"({"weight":{"dtype":"F32","shape":[1,2],"data_offsets":[0,8]},"other":{"dtype":"F32","shape":[],"data_offsets":[8,12]}})";
  const float bias = linear.bias.value()(0);
  xg::nn::load_safetensors_bytes(linear, file_of(partial, floats({5, 6, 7})), "partial", {.strict = false});
  CHECK(linear.weight.value()(0, 1) == 6.0f);
  CHECK(linear.bias.value()(0) == bias);
}

TEST_CASE("safetensors: every malformed file is refused naming the tensor, and the model is untouched") {
  const auto entry = [](const std::string& name, const std::string& dtype, const std::string& shape,
                        const std::string& offsets) {
    return "\"" + name + "\":{\"dtype\":\"" + dtype + "\",\"shape\":" + shape + ",\"data_offsets\":" + offsets + "}";
  };
  const auto one = [&](const std::string& body, const std::string& data) {
    return refusal(file_of("{" + body + "}", data));
  };
  const std::string data12 = floats({1, 2, 3});

  CHECK(contains(refusal(std::string("\x05\x00", 2)), "the header length needs 8 bytes"));
  std::string past = fixture_bytes();
  past[0] = '\xff';
  past[1] = '\xff';
  CHECK(contains(refusal(past), "the header length 65535 runs past the end of the file"));
  past[5] = '\x7f';
  CHECK(contains(refusal(past), "is over the 100 MB"));
  CHECK(contains(one(entry("a", "F32", "[3]", "[0,12]").substr(0, 10), data12), "not valid JSON"));
  CHECK(contains(refusal(file_of("[1,2]", "")), "does not start with '{'"));
  CHECK(contains(one(entry("a", "F32", "[3]", "[0,12]") + "," + entry("a", "F32", "[3]", "[0,12]"), data12),
                 "names tensor 'a' twice"));
  CHECK(contains(one(entry("0.bias", "I64", "[1]", "[0,8]"), data12), "tensor '0.bias': dtype 'I64' is not one of"));
  CHECK(contains(one(entry("0.bias", "F32", "[3]", "[0,16]"), data12),
                 "tensor '0.bias': data_offsets [0, 16] are out of the data buffer of 12 bytes"));
  CHECK(contains(one(entry("0.bias", "F32", "[3]", "[8,4]"), data12), "are out of the data buffer"));
  CHECK(contains(one(entry("0.bias", "F32", "[2]", "[0,12]"), data12), "hold 12 bytes, but F32 of shape (2,) needs 8"));
  CHECK(contains(one(entry("a", "F32", "[2]", "[0,8]") + "," + entry("b", "F32", "[1]", "[4,8]"), data12),
                 "tensor 'b': data_offsets [4, 8] overlap those of tensor 'a'"));
  CHECK(contains(one(entry("a", "F32", "[1e999]", "[0,4]"), data12),
                 "not valid JSON: [json.exception.out_of_range.406] number overflow parsing '1e999'"));
  CHECK(contains(one(entry("a", "F32", "[1.5]", "[0,4]"), data12), "shape entry 1.5 is not a non-negative integer"));
  CHECK(contains(one(entry("a", "F32", "[-1]", "[0,4]"), data12), "shape entry -1 is not a non-negative integer"));
  CHECK(contains(one(entry("a", "F32", "[1]", "[0,4.0]"), data12), "is not [begin, end] of non-negative integers"));
  CHECK(contains(one(entry("a", "F32", "[4294967296,4294967296]", "[0,4]"), data12), "overflows the element count"));
  CHECK(contains(one("\"a\":{\"dtype\":\"F32\",\"shape\":[1]}", data12), "tensor 'a': expected an object of exactly"));
  CHECK(contains(one("\"__metadata__\":{\"k\":1}", data12), "__metadata__ entry 'k' is not a string"));
  CHECK(contains(one(entry("0.bias", "F32", "[1]", "[0,4]"), floats({std::numeric_limits<float>::infinity()})),
                 "tensor '0.bias' holds a non-finite value at flat index 0"));
  CHECK(contains(one("\"a\":{\"x\":[[[[[1]]]]]}", data12), "nests deeper"));
  // Names in messages are quoted with escapes for control bytes.
  CHECK(contains(one(entry("\\u001b[2J", "I64", "[1]", "[0,8]"), data12), "tensor '\\x1b[2J'"));
}
