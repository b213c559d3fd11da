// float64 data end to end: load_csv<double> keeps digits float32 cannot
// hold, and the float64 loaders, split and scaler carry them to a float64
// model, which then reaches the least-squares solution of the normal
// equations solved in the test.

#include <doctest/doctest.h>

#include <array>
#include <cmath>
#include <filesystem>
#include <fstream>
#include <string>
#include <type_traits>

#include <unistd.h>

#include <xgrad/xgrad.hpp>

#include "exception_message.hpp"

namespace ds = xg::datasets;
using xg::testing::message_of;

namespace {

// Eight points (x0, x1, y) with more digits than float32 keeps.
constexpr std::array<std::array<double, 3>, 8> points{{{-1.5, 0.5, 1.234567890123},
                                                       {-1.0, -1.0, -0.712345678901},
                                                       {-0.5, 1.0, 2.101010101011},
                                                       {0.0, -0.5, 0.333333333333},
                                                       {0.5, 0.0, 0.918273645546},
                                                       {1.0, 1.5, 2.818181818182},
                                                       {1.5, -1.5, -1.123456789012},
                                                       {0.25, 0.75, 1.666666666667}}};

constexpr const char* points_csv =
    "x0,x1,y\n-1.5,0.5,1.234567890123\n-1,-1,-0.712345678901\n-0.5,1,2.101010101011\n0,-0.5,0.333333333333\n"
    "0.5,0,0.918273645546\n1,1.5,2.818181818182\n1.5,-1.5,-1.123456789012\n0.25,0.75,1.666666666667\n";

// The least-squares (w0, w1, b) of y = w0 x0 + w1 x1 + b: the normal
// equations (X^T X) theta = X^T y with X = [x0 x1 1], by Gaussian elimination
// with partial pivoting.
std::array<double, 3> least_squares() {
  std::array<std::array<double, 4>, 3> m{};
  for (const auto& p : points) {
    const std::array<double, 3> row{p[0], p[1], 1.0};
    for (std::size_t i = 0; i < 3; ++i) {
      for (std::size_t j = 0; j < 3; ++j) m[i][j] += row[i] * row[j];
      m[i][3] += row[i] * p[2];
    }
  }
  for (std::size_t c = 0; c < 3; ++c) {
    std::size_t pivot = c;
    for (std::size_t r = c + 1; r < 3; ++r)
      if (std::abs(m[r][c]) > std::abs(m[pivot][c])) pivot = r;
    std::swap(m[c], m[pivot]);
    for (std::size_t r = 0; r < 3; ++r) {
      if (r == c) continue;
      const double f = m[r][c] / m[c][c];
      for (std::size_t k = c; k < 4; ++k) m[r][k] -= f * m[c][k];
    }
  }
  return {m[0][3] / m[0][0], m[1][3] / m[1][1], m[2][3] / m[2][2]};
}

}  // namespace

TEST_CASE("load_csv<double>: cells come in as the double their text names") {
  const auto d = ds::parse_csv<double>("a,b,y\n0.100000000001,1e39,0.3000000000007\n2,-1e-300,4\n", "data.csv",
                                       {.target = "y", .categorical_target = false});
  static_assert(std::is_same_v<decltype(d), const ds::Dataset64>);
  CHECK(d.features(0, 0) == 0.100000000001);
  CHECK(static_cast<double>(static_cast<float>(0.100000000001)) != 0.100000000001);  // float32 would lose it
  CHECK(d.features(0, 1) == 1e39);                                                   // past float32's range
  CHECK(d.features(1, 1) == -1e-300);  // below float32's smallest subnormal
  CHECK(d.targets(0) == 0.3000000000007);
  // The float32 default still rounds each cell once to float and refuses 1e39.
  const auto f = ds::parse_csv("a\n0.100000000001\n", "data.csv");
  CHECK(f.features(0, 0) == static_cast<float>(0.100000000001));
  CHECK(message_of<ds::DataError>([] { ds::parse_csv("a\n1e39\n", "data.csv"); }) ==
        "data.csv:2:1: column 'a' (1): '1e39' is not a finite float32 number");
  CHECK(message_of<ds::DataError>([] { ds::parse_csv<double>("a\n-inf\n", "data.csv"); }) ==
        "data.csv:2:1: column 'a' (1): '-inf' is not a finite float64 number");
  // .missing is a double, kept exactly in float64 and checked against the type's range.
  CHECK(ds::parse_csv<double>("a\n\n1\nnan\n", "data.csv", {.missing = 0.1 + 1e-12}).features(1, 0) == 0.1 + 1e-12);
  CHECK(message_of<ds::DataError>([] { ds::parse_csv("a\nnan\n", "data.csv", {.missing = 1e39}); }) ==
        "data.csv:1: load_csv: .missing must be a finite float32 number, got 1e+39");
}

TEST_CASE("Dataset64: split, subset, scaler and loaders keep float64 values") {
  const auto data = ds::parse_csv<double>(points_csv, "points.csv", {.target = "y", .categorical_target = false});
  auto [train, test] = ds::train_test_split(data, 0.25, 3);
  CHECK(train.size() == 6);
  CHECK(test.size() == 2);
  for (const auto* part : {&train, &test})
    for (std::size_t r = 0; r < part->size(); ++r) {
      bool found = false;
      for (const auto& p : points)
        found = found || (part->features(r, 0) == p[0] && part->features(r, 1) == p[1] && part->targets(r) == p[2]);
      CHECK(found);
    }

  ds::StandardScaler scaler;
  const xg::Array<double> scaled = scaler.fit_transform(data.features);
  double mean0 = 0, var0 = 0;
  for (const auto& p : points) mean0 += p[0] / 8;
  for (const auto& p : points) var0 += (p[0] - mean0) * (p[0] - mean0) / 8;
  CHECK(scaler.mean()[0] == doctest::Approx(mean0).epsilon(1e-15));
  for (std::size_t r = 0; r < points.size(); ++r)
    CHECK(scaled(r, 0) == doctest::Approx((points[r][0] - mean0) / std::sqrt(var0)).epsilon(1e-14));

  // DataLoader64 and the float32 DataLoader draw the same order from
  // generators seeded alike; the float64 batch holds the exact values.
  const auto labelled = ds::tensor_dataset(data.features, std::vector<std::size_t>{0, 1, 0, 1, 0, 1, 0, 1});
  xg::Generator g64(7), g32(7);
  ds::BasicDataLoader loader64(labelled, {.batch_size = 3}, g64);
  static_assert(std::is_same_v<decltype(loader64), ds::DataLoader64>);
  xg::Array<float> features32 = xt::cast<float>(data.features);
  ds::DataLoader loader32(features32, labelled.labels, {.batch_size = 3}, g32);
  auto it32 = loader32.begin();
  for (const auto& [x, y] : loader64) {
    static_assert(std::is_same_v<decltype(x), const xg::Tensor64>);
    REQUIRE(it32 != loader32.end());
    CHECK(y == it32->y);
    for (std::size_t r = 0; r < y.size(); ++r) {
      CHECK(static_cast<float>(x.value()(r, 1)) == it32->x.value()(r, 1));
      bool found = false;
      for (const auto& p : points) found = found || (x.value()(r, 0) == p[0] && x.value()(r, 1) == p[1]);
      CHECK(found);
    }
    ++it32;
  }
  CHECK(it32 == loader32.end());

  ds::TargetDataLoader64 targets(train, {.batch_size = 4, .shuffle = false});
  const auto first = *targets.begin();
  CHECK(first.y.value()(0) == train.targets(0));
  CHECK(first.x.value()(3, 1) == train.features(3, 1));
  CHECK_THROWS_AS(ds::TargetDataLoader64{labelled}, std::invalid_argument);
}

TEST_CASE("Dataset64: a float64 Linear trained on a CSV reaches the normal equations' solution") {
  const auto dir = std::filesystem::temp_directory_path() / ("xgrad_float64_" + std::to_string(::getpid()));
  std::filesystem::create_directories(dir);
  const auto path = (dir / "points.csv").string();
  std::ofstream(path, std::ios::binary) << points_csv;
  const auto data = ds::load_csv<double>(path, {.target = "y", .categorical_target = false});
  std::filesystem::remove_all(dir);

  xg::Generator init(0);
  auto model = xg::nn::Linear(2, 1, true, init).to<double>();
  xg::optim::SGD optimizer(model.named_parameters(), {.lr = 0.2});
  ds::TargetDataLoader64 loader(data, {.batch_size = data.size(), .shuffle = false});
  for (int epoch = 0; epoch < 1000; ++epoch)
    for (const auto& [x, y] : loader) {
      optimizer.zero_grad();
      auto loss = xg::nn::functional::mse_loss(xg::reshape(model(x), {y.shape()[0]}), y);
      loss.backward();
      optimizer.step();
    }
  const auto expected = least_squares();
  CHECK(std::abs(model.weight.value()(0, 0) - expected[0]) < 1e-9);
  CHECK(std::abs(model.weight.value()(0, 1) - expected[1]) < 1e-9);
  CHECK(std::abs(model.bias.value()(0) - expected[2]) < 1e-9);
}
