// What an optimizer policy may declare beyond the common case: every kind of
// option (numbers, lists, whole numbers, optional numbers, flags,
// enumerations), checked and surviving state_dict / load_state_dict, and
// state buffers shaped other than their parameter. Test-only optimizers
// declare each.

#include <algorithm>
#include <array>
#include <cmath>
#include <cstdint>
#include <limits>
#include <optional>
#include <stdexcept>
#include <string>

#include <doctest/doctest.h>

#include <xgrad/optim/detail/optimizer_impl.hpp>
#include <xgrad/xgrad.hpp>

#include "exception_message.hpp"

namespace {

enum class Direction : std::uint8_t { down, up };

struct KindsOptions {
  double lr = 0.5;
  std::array<double, 3> coefficients{1, 2, 3};
  std::int64_t repeats = 2;
  std::optional<double> floor;
  bool flip = false;
  Direction direction = Direction::down;
};

// θ ← θ ∓ lr·repeats·(c0 + c1 + c2)·g, then θ ← max(θ, floor) when floor is set.
template <class Scalar>
class Kinds final : public xg::optim::Optimizer<Scalar, KindsOptions, Kinds<Scalar>> {
 public:
  using xg::optim::Optimizer<Scalar, KindsOptions, Kinds<Scalar>>::Optimizer;
  static constexpr const char* name = "Kinds";
  static constexpr std::array<const char*, 0> state_names{};

  static void for_each_option(auto& o, auto&& visit) {
    visit("lr", o.lr, xg::optim::Range::non_negative);
    visit("coefficients", o.coefficients, xg::optim::Range::non_negative);
    visit("repeats", o.repeats, xg::optim::Range::positive);
    visit("floor", o.floor);
    visit("flip", o.flip);
    visit("direction", o.direction);
  }
  static void check_constraints(const KindsOptions& o) {
    if (o.direction != Direction::down && o.direction != Direction::up)
      throw std::invalid_argument("Kinds: invalid direction = " + std::to_string(static_cast<int>(o.direction)));
  }
  static void update(const KindsOptions& o, xg::optim::ParamState<Scalar>&, xg::Array<Scalar>& param,
                     const xg::optim::Gradient<Scalar>& grad) {
    const double sum = o.coefficients[0] + o.coefficients[1] + o.coefficients[2];
    const double sign = (o.direction == Direction::up) != o.flip ? 1 : -1;
    const Scalar* g = grad.values;
    for (std::size_t i = 0; i < param.size(); ++i) {
      param.data()[i] += static_cast<Scalar>(sign * o.lr * static_cast<double>(o.repeats) * sum * g[i]);
      if (o.floor) param.data()[i] = std::max(param.data()[i], static_cast<Scalar>(*o.floor));
    }
  }
};

struct RowNormOptions {
  double lr = 1;
};

// One accumulator per row: s_r ← s_r + Σ_j g_rj², θ_r ← θ_r − lr·g_r/√s_r.
template <class Scalar>
class RowNorm final : public xg::optim::Optimizer<Scalar, RowNormOptions, RowNorm<Scalar>> {
 public:
  using xg::optim::Optimizer<Scalar, RowNormOptions, RowNorm<Scalar>>::Optimizer;
  static constexpr const char* name = "RowNorm";
  static constexpr std::array<const char*, 1> state_names{"row_sum"};

  static void for_each_option(auto& o, auto&& visit) { visit("lr", o.lr, xg::optim::Range::non_negative); }
  static xg::Shape state_shape(std::size_t, const xg::Shape& param) { return {param.at(0)}; }
  static void update(const RowNormOptions& o, xg::optim::ParamState<Scalar>& state, xg::Array<Scalar>& param,
                     const xg::optim::Gradient<Scalar>& grad) {
    const std::size_t rows = param.shape()[0], cols = param.size() / rows;
    xg::Array<Scalar>& sum = state.buffer_of_shape(0, {rows});
    for (std::size_t r = 0; r < rows; ++r) {
      for (std::size_t c = 0; c < cols; ++c) sum(r) += grad.values[r * cols + c] * grad.values[r * cols + c];
      for (std::size_t c = 0; c < cols; ++c)
        param.data()[r * cols + c] -= static_cast<Scalar>(o.lr) * grad.values[r * cols + c] / std::sqrt(sum(r));
    }
  }
};

}  // namespace

template class xg::optim::Optimizer<double, KindsOptions, Kinds<double>>;
template class xg::optim::Optimizer<double, RowNormOptions, RowNorm<double>>;

TEST_CASE("Optimizer options: lists, whole numbers, optional numbers and enumerations are checked") {
  auto w = xg::zeros<double>({2}, true);
  CHECK(xg::testing::contains(xg::testing::message_of<std::invalid_argument>([&] {
                                Kinds<double>({w}, {.coefficients = {1, -1, 0}});
                              }),
                              "Kinds: invalid coefficients[1] = -1 (must be >= 0)"));
  CHECK(
      xg::testing::contains(xg::testing::message_of<std::invalid_argument>([&] { Kinds<double>({w}, {.repeats = 0}); }),
                            "Kinds: invalid repeats = 0 (must be > 0)"));
  CHECK(xg::testing::contains(xg::testing::message_of<std::invalid_argument>(
                                  [&] { Kinds<double>({w}, {.floor = std::numeric_limits<double>::infinity()}); }),
                              "Kinds: invalid floor = inf"));
  CHECK(xg::testing::contains(xg::testing::message_of<std::invalid_argument>(
                                  [&] { Kinds<double>({w}, {.direction = static_cast<Direction>(7)}); }),
                              "Kinds: invalid direction = 7"));
}

TEST_CASE("Optimizer options: every kind round-trips through state_dict") {
  auto w = xg::tensor<double>({1.0, 2.0}, true);
  Kinds<double> saved(
      {w},
      {.lr = 0.25, .coefficients = {0.5, 0, 1}, .repeats = 3, .floor = -0.5, .flip = true, .direction = Direction::up});
  Kinds<double> loaded({w});
  loaded.load_state_dict(saved.state_dict());
  const KindsOptions& o = loaded.options();
  CHECK(o.lr == 0.25);
  CHECK(o.coefficients == std::array<double, 3>{0.5, 0, 1});
  CHECK(o.repeats == 3);
  REQUIRE(o.floor.has_value());
  CHECK(*o.floor == -0.5);
  CHECK(o.flip);
  CHECK(o.direction == Direction::up);

  // up, flipped: θ ← θ − 0.25·3·1.5·g, floored at −0.5: 1 − 1.125·2 = −1.25 → −0.5.
  w.grad() = xg::Array<double>{2.0, 0.1};
  loaded.step();
  CHECK(w.value()(0) == -0.5);
  CHECK(w.value()(1) == doctest::Approx(2.0 - 0.25 * 3 * 1.5 * 0.1).epsilon(1e-15));

  Kinds<double> unset({w}, {.floor = std::nullopt});
  loaded.load_state_dict(unset.state_dict());
  CHECK_FALSE(loaded.options().floor.has_value());
}

TEST_CASE("Optimizer options: a saved whole number or enumeration that does not fit is refused") {
  auto w = xg::zeros<double>({2}, true);
  Kinds<double> opt({w});
  xg::io::Archive a = opt.state_dict();
  a.put_number("param_groups.0.repeats", 2.5);
  CHECK(xg::testing::contains(xg::testing::message_of<std::invalid_argument>([&] { opt.load_state_dict(a); }),
                              "'param_groups.0.repeats' holds 2.5, not a whole number"));
  a = opt.state_dict();
  a.put_number("param_groups.0.direction", 300);
  CHECK(xg::testing::contains(xg::testing::message_of<std::invalid_argument>([&] { opt.load_state_dict(a); }),
                              "'param_groups.0.direction' holds 300, expected a whole number"));
  a = opt.state_dict();
  a.put_number("param_groups.0.direction", 2);
  CHECK(xg::testing::contains(xg::testing::message_of<std::invalid_argument>([&] { opt.load_state_dict(a); }),
                              "Kinds: invalid direction = 2"));
  CHECK(opt.options().direction == Direction::down);
}

TEST_CASE("Optimizer state: a buffer shaped other than its parameter is created, saved and checked by its shape") {
  auto w = xg::tensor<double>({{1.0, 2.0}, {3.0, 4.0}}, true);
  RowNorm<double> opt({w});
  w.grad() = xg::Array<double>{{3.0, 4.0}, {0.0, 2.0}};
  opt.step();
  // Row 0: s = 9 + 16 = 25, θ ← (1, 2) − (3, 4)/5; row 1: s = 4, θ ← (3, 4) − (0, 2)/2.
  CHECK(w.value()(0, 0) == doctest::Approx(0.4).epsilon(1e-15));
  CHECK(w.value()(0, 1) == doctest::Approx(1.2).epsilon(1e-15));
  CHECK(w.value()(1, 1) == doctest::Approx(3.0).epsilon(1e-15));
  CHECK(opt.state(w, "row_sum").shape().size() == 1);
  CHECK(opt.state(w, "row_sum")(0) == 25);

  RowNorm<double> loaded({w});
  loaded.load_state_dict(opt.state_dict());
  CHECK(loaded.state(w, "row_sum")(1) == 4);

  xg::io::Archive a = opt.state_dict();
  a.put("state.0.row_sum", xg::Array<double>{{25.0, 4.0}});
  CHECK(xg::testing::contains(xg::testing::message_of<xg::ShapeError>([&] { loaded.load_state_dict(a); }),
                              "the saved 'row_sum' of parameter 0 of group 0 has shape (1, 2) but the parameter has "
                              "(2, 2), so it must have (2,)"));
  CHECK(loaded.state(w, "row_sum")(0) == 25);
}
