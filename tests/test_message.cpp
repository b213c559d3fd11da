// Text from a file reaches error messages through xg::quoted_text: escaped and
// bounded, wherever the loaders name it.
#include <doctest/doctest.h>
#include <unistd.h>

#include <algorithm>
#include <cmath>
#include <filesystem>
#include <stdexcept>
#include <string>
#include <xgrad/core/message.hpp>
#include <xgrad/xgrad.hpp>

#include "exception_message.hpp"

namespace {

using xg::testing::contains;
using xg::testing::message_of;

std::string temp_path(const std::string& stem) {
  return (std::filesystem::temp_directory_path() / ("xgrad_quoted_" + stem + "_" + std::to_string(::getpid())))
      .string();
}

// No byte a terminal would act on, and no NUL cutting the message short.
bool is_printable_ascii(const std::string& message) {
  return std::all_of(message.begin(), message.end(), [](char c) {
    return static_cast<unsigned char>(c) >= 0x20 && static_cast<unsigned char>(c) < 0x7F;
  });
}

const std::string hostile_name = std::string("w\x1b[2J\0tail", 10);
const std::string huge_name(10 * 1024 * 1024, 'a');

}  // namespace

TEST_CASE("quoted_text: printable text in quotes, every other byte as \\xNN") {
  CHECK(xg::quoted_text("fc.weight") == "'fc.weight'");
  CHECK(xg::quoted_text("") == "''");
  CHECK(xg::quoted_text(hostile_name) == "'w\\x1b[2J\\x00tail'");
  CHECK(xg::quoted_text("tab\there\nnew") == "'tab\\x09here\\x0anew'");
  // The quote and the backslash are escaped, so the text cannot fake an end.
  CHECK(xg::quoted_text("it's a\\b") == "'it\\x27s a\\x5cb'");
  // Bytes above 0x7F (a C1 control such as 0x9b is a terminal escape too).
  CHECK(xg::quoted_text("\x9b\xc3\xa9") == "'\\x9b\\xc3\\xa9'");
}

TEST_CASE("quoted_text: at most the first 200 bytes, then the length") {
  CHECK(xg::quoted_text(std::string(200, 'x')) == "'" + std::string(200, 'x') + "'");
  CHECK(xg::quoted_text(std::string(201, 'x')) == "'" + std::string(200, 'x') + "'... (201 bytes)");
  CHECK(xg::quoted_text(huge_name) == "'" + std::string(200, 'a') + "'... (10485760 bytes)");
  // The cap counts the bytes of the text, before escaping.
  CHECK(xg::quoted_text(std::string(300, '\x01')).size() == 2 + 200 * 4 + std::string("... (300 bytes)").size());
}

TEST_CASE("quoted_text: a model file naming a parameter with escapes, a NUL or 10 MB gives a short, clean message") {
  const std::string path = temp_path("model");
  xg::nn::Linear model(2, 1);
  for (const std::string& name : {hostile_name, huge_name}) {
    xg::io::Archive state = model.state_dict();
    state.put(name, xg::Array<float>{1.0f});
    state.save(path, "module");
    const std::string msg = message_of<std::invalid_argument>([&] { model.load(path); });
    CHECK(contains(msg, "Unexpected in the state (not in the model): " + xg::quoted_text(name)));
    CHECK(msg.size() < 1000);
    CHECK(is_printable_ascii(msg));
  }
  std::filesystem::remove(path);
}

TEST_CASE("quoted_text: an optimizer state naming a parameter with escapes gives a clean message") {
  xg::nn::Linear model(2, 1);
  xg::optim::Adagrad opt(model.named_parameters(), {});
  xg::io::Archive state = opt.state_dict();
  state.put_string("param_groups.0.param_names.0", hostile_name);
  const std::string msg = message_of<std::invalid_argument>([&] { opt.load_state_dict(state); });
  CHECK(contains(msg, "in the state but not here: " + xg::quoted_text(hostile_name)));
  CHECK(is_printable_ascii(msg));
}

TEST_CASE("quoted_text: a data file field with escapes and 10 MB gives a short, clean message") {
  const std::string header = "150,4,setosa,versicolor,virginica\n";
  const std::string msg = message_of<xg::datasets::DataError>(
      [&] { xg::datasets::parse_iris_csv(header + "5.1,3.5," + hostile_name + ",0.2,0\n", "iris.csv"); });
  CHECK(contains(msg, "iris.csv:2: field 3: " + xg::quoted_text(hostile_name) + " is not a finite number"));
  CHECK(is_printable_ascii(msg));
  const std::string long_msg = message_of<xg::datasets::DataError>(
      [&] { xg::datasets::parse_iris_csv(header + "5.1,3.5,1.4,0.2," + huge_name + "\n", "iris.csv"); });
  CHECK(contains(long_msg, "'... (10485760 bytes)"));
  CHECK(long_msg.size() < 1000);
}

// std::to_string(double) prints six decimals: a small or large option in a
// message came out as "0.000000" or a string of digits instead of its value.
TEST_CASE("messages show small and large numbers as numbers, not six decimals") {
  using xg::testing::contains;
  using xg::testing::message_of;
  const auto x = xg::ones<double>({2, 3});
  CHECK(contains(message_of<std::invalid_argument>([&] { xg::uniform<float>({2}, 1e-8, 1e-9); }),
                 "got low=1e-08 high=1e-09"));
  CHECK(contains(message_of<std::invalid_argument>([&] { xg::arange<float>(0, 1, 0); }), "start=0 stop=1 step=0"));
  CHECK(contains(message_of<std::invalid_argument>([&] { xg::clamp(x, 2e-7, 1e-7); }), "got min=2e-07 max=1e-07"));
  CHECK(contains(message_of<std::invalid_argument>([&] { xg::layer_norm(x, {3}, {}, {}, -1e-8); }),
                 "eps must be finite and >= 0, got -1e-08"));
  CHECK(contains(message_of<std::invalid_argument>([&] {
                   const auto stats = xg::zeros<double>({3});
                   xg::batch_norm(x, stats, stats, {}, {}, true, std::nan(""));
                 }),
                 "momentum must be finite, got nan"));
}
