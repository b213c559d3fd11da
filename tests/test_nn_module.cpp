#include <doctest/doctest.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <iterator>
#include <string>
#include <xgrad/core/reduce.hpp>
#include <xgrad/xgrad.hpp>

#include "damaged_bytes.hpp"
#include "exception_message.hpp"

namespace {

namespace nn = xg::nn;

std::string temp_path(const std::string& stem) {
  return (std::filesystem::temp_directory_path() / ("xgrad_nn_" + stem + "_" + std::to_string(::getpid()))).string();
}

std::string read_file(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

void write_file(const std::string& path, const std::string& bytes) {
  std::ofstream out(path, std::ios::binary | std::ios::trunc);
  out.write(bytes.data(), static_cast<std::streamsize>(bytes.size()));
}

std::size_t count_parameters(const nn::Module& m) {
  std::size_t n = 0;
  for (const auto& p : m.parameters()) n += p.numel();
  return n;
}

std::vector<xg::Array<float>> snapshot(const nn::Module& m) {
  std::vector<xg::Array<float>> out;
  for (const auto& p : m.parameters()) out.push_back(p.value());
  return out;
}

using xg::testing::contains;
using xg::testing::message_of;

}  // namespace

TEST_CASE("nn module: a 64-64-10 MLP has 4810 parameters named by position") {
  nn::Sequential model{nn::Linear(64, 64), nn::Tanh(), nn::Linear(64, 10)};
  // 64*64 + 64 + 64*10 + 10 = 4096 + 64 + 640 + 10
  CHECK(count_parameters(model) == 4810);
  const auto named = model.named_parameters();
  REQUIRE(named.size() == 4);
  CHECK(named[0].first == "0.weight");
  CHECK(named[1].first == "0.bias");
  CHECK(named[2].first == "2.weight");
  CHECK(named[3].first == "2.bias");
  CHECK(named[2].second.shape() == xg::Tensor::shape_type{10, 64});
  for (const auto& p : model.parameters()) CHECK(p.requires_grad());
  CHECK(model.size() == 3);
  CHECK(model.at<nn::Linear>(2).out_features() == 10);
  CHECK(model.at<nn::Linear>(2).weight.node() == named[2].second.node());
}

TEST_CASE("nn module: nested Sequentials, push_back and bias-free layers") {
  nn::Sequential inner{nn::Linear(3, 4, false), nn::ReLU()};
  nn::Sequential model;
  model.push_back(inner);
  model.push_back(nn::Linear(4, 2));
  const auto named = model.named_parameters();
  REQUIRE(named.size() == 3);
  CHECK(named[0].first == "0.0.weight");
  CHECK(named[1].first == "1.weight");
  CHECK(named[2].first == "1.bias");
  // The copy pushed shares its parameters with `inner`, as handles do.
  CHECK(named[0].second.node() == inner.named_parameters()[0].second.node());

  auto y = model(xg::ones<float>({5, 3}));
  CHECK(y.shape() == xg::Tensor::shape_type{5, 2});
  CHECK_THROWS_AS(model[2], std::out_of_range);
  CHECK(contains(message_of<std::invalid_argument>([&] { model.at<nn::Linear>(0); }),
                 "is a xg::nn::BasicSequential<float>, not a xg::nn::BasicLinear<float>"));
  CHECK_THROWS_AS(model.push_back(std::shared_ptr<nn::Module>()), std::invalid_argument);
}

TEST_CASE("nn module: zero_grad and train/eval reach every descendant") {
  nn::Sequential model{nn::Linear(2, 3), nn::Sequential{nn::Dropout(0.5), nn::Linear(3, 1)}};
  auto loss = xg::sum(model(xg::ones<float>({4, 2})));
  loss.backward();
  for (const auto& p : model.parameters()) CHECK(p.has_grad());
  model.zero_grad();
  for (const auto& p : model.parameters()) CHECK(xg::sum_all(p.grad()) == 0.0f);
  model.zero_grad(true);
  for (const auto& p : model.parameters()) CHECK_FALSE(p.has_grad());

  CHECK(model.is_training());
  model.eval();
  CHECK_FALSE(model.is_training());
  CHECK_FALSE(model[1].is_training());
  CHECK_FALSE(model.at<nn::Sequential>(1)[0].is_training());
  model.train();
  CHECK(model.at<nn::Sequential>(1)[0].is_training());
}

TEST_CASE("nn module: save and load round trip into a fresh model") {
  const std::string path = temp_path("roundtrip");
  xg::Generator g1(1), g2(2);
  nn::Sequential a{nn::Linear(3, 4, true, g1), nn::Tanh(), nn::Linear(4, 2, true, g1)};
  nn::Sequential b{nn::Linear(3, 4, true, g2), nn::Tanh(), nn::Linear(4, 2, true, g2)};
  REQUIRE(a.parameters()[0].value() != b.parameters()[0].value());
  const auto b_weight = b.parameters()[0];  // a handle an optimizer would hold

  a.save(path);
  // No temporary (path + ".tmp." and a random suffix) is left behind.
  for (const auto& entry : std::filesystem::directory_iterator(std::filesystem::temp_directory_path()))
    CHECK_FALSE(entry.path().string().starts_with(path + ".tmp"));
  b.load(path);
  const auto pa = a.parameters(), pb = b.parameters();
  for (std::size_t i = 0; i < pa.size(); ++i) CHECK(pa[i].value() == pb[i].value());
  CHECK(b_weight.value() == pa[0].value());

  auto x = xg::tensor({{0.5f, -1.0f, 2.0f}});
  CHECK(a(x).value() == b(x).value());
  std::filesystem::remove(path);
}

TEST_CASE("nn module: a truncated model file is rejected at every byte offset, the model untouched") {
  const std::string path = temp_path("truncated");
  xg::Generator g(3);
  nn::Linear saved(2, 2, true, g);
  saved.save(path);
  const std::string bytes = read_file(path);
  // Header 8 + 4 + 4 + "module" 6 + 8 = 30; "weight": 4 + 6 + 1 + 4 + 16 + 8 + 16 = 55;
  // "bias": 4 + 4 + 1 + 4 + 8 + 8 + 8 = 37; CRC 4.
  REQUIRE(bytes.size() == 30 + 55 + 37 + 4);

  nn::Linear target(2, 2, true, g);
  const auto before = snapshot(target);
  // A fresh file per variant: rewriting one file in place is slow on ext4.
  const auto refused = [&](const std::string& variant, std::string_view damaged) {
    write_file(variant, std::string(damaged));
    CHECK_THROWS_AS(target.load(variant), xg::io::FormatError);
    std::filesystem::remove(variant);
  };
  xg::testing::for_each_truncation(bytes, [&](std::size_t n, std::string_view cut) {
    CAPTURE(n);
    refused(path + ".cut" + std::to_string(n), cut);
  });
  xg::testing::for_each_flipped_byte(bytes, [&](std::size_t i, std::string_view corrupted) {
    CAPTURE(i);
    refused(path + ".flip" + std::to_string(i), corrupted);
  });
  CHECK(snapshot(target) == before);
  std::filesystem::remove(path);
}

TEST_CASE("nn module: mismatched names and shapes are rejected naming both, the model untouched") {
  const std::string path = temp_path("mismatch");
  nn::Sequential saved{nn::Linear(3, 4), nn::Tanh(), nn::Linear(4, 2)};
  saved.save(path);

  nn::Sequential renamed{nn::Linear(3, 4), nn::Linear(4, 2)};
  const auto renamed_before = snapshot(renamed);
  const std::string names_msg = message_of<std::invalid_argument>([&] { renamed.load(path); });
  CHECK(contains(names_msg, path));
  CHECK(contains(names_msg, "Missing from the state: '1.weight', '1.bias'"));
  CHECK(contains(names_msg, "Unexpected in the state (not in the model): '2.weight', '2.bias'"));
  CHECK(snapshot(renamed) == renamed_before);

  // The first layer matches; the last one's shape does not, so nothing may be copied.
  nn::Sequential reshaped{nn::Linear(3, 4), nn::Tanh(), nn::Linear(4, 5)};
  const auto reshaped_before = snapshot(reshaped);
  const std::string shape_msg = message_of<xg::ShapeError>([&] { reshaped.load(path); });
  CHECK(contains(shape_msg, "parameter '2.weight' has shape (5, 4) in the model but (2, 4) in the state"));
  CHECK(snapshot(reshaped) == reshaped_before);

  xg::io::Archive not_a_model;
  not_a_model.put_number("lr", 0.1);
  not_a_model.save(path, "optimizer");
  CHECK(contains(message_of<xg::io::FormatError>([&] { reshaped.load(path); }),
                 "holds an archive of kind 'optimizer', but kind 'module' was expected"));

  xg::io::Archive number_for_weight = saved.state_dict();
  number_for_weight.put_number("2.bias", 1.0);
  CHECK_THROWS_AS(saved.load_state_dict(number_for_weight), xg::io::FormatError);
  std::filesystem::remove(path);
}

TEST_CASE("nn module: Sequential::slice shares the modules, counts from the end and clamps; append chains") {
  nn::Sequential model{nn::Linear(3, 4), nn::Tanh(), nn::Linear(4, 4), nn::ReLU(), nn::Linear(4, 2)};
  const auto head = model.slice(0, -1);  // model[:-1]
  REQUIRE(head.size() == 4);
  CHECK(&head[2] == &model[2]);
  CHECK(head.named_parameters()[2].first == "2.weight");
  CHECK(head.named_parameters()[2].second.node() == model.named_parameters()[2].second.node());
  // Training the slice trains the model: a step on head's parameters is seen through model.
  head.named_parameters()[0].second.value()(0, 0) = 5.0f;
  CHECK(model.at<nn::Linear>(0).weight.value()(0, 0) == 5.0f);

  const auto tail = model.slice(-2, 100);  // model[-2:], the stop clamped to the size
  REQUIRE(tail.size() == 2);
  CHECK(&tail[1] == &model[4]);
  CHECK(tail.named_parameters()[0].first == "1.weight");  // renamed from 0, unlike PyTorch
  CHECK(model.slice(3, 1).size() == 0);
  CHECK(model.slice(-100, 2).size() == 2);
  // The slices compose to the whole: model(x) = tail(middle(head2(x))).
  const auto x = xg::randn<float>({2, 3});
  const auto y = model.slice(3, 5)(model.slice(0, 3)(x));
  CHECK(y.value() == model(x).value());

  nn::Sequential built;
  built.append(nn::Linear(2, 2)).append(nn::Identity()).append(nn::Tanh());
  CHECK(built.size() == 3);
  CHECK(built.named_parameters().size() == 2);
  const auto z = xg::ones<float>({1, 2});
  CHECK(nn::Identity()(z).node() == z.node());
  CHECK(built(z).value() == xg::tanh(built[0](z)).value());
}
