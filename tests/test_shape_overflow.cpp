// Shapes whose element count does not fit in size_t (or in xtensor's signed
// strides) are refused where they are made, naming the shape, instead of
// wrapping to a small count that the next op indexes past (issue #14, item 2).
// CSR matrices with rows = SIZE_MAX are refused without rows + 1 wrapping.

#include <doctest/doctest.h>

#include <cstdint>
#include <limits>
#include <vector>

#include <xgrad/xgrad.hpp>

#include "exception_message.hpp"

using xg::testing::contains;
using xg::testing::message_of;

namespace {
constexpr std::size_t two_32 = std::size_t(1) << 32;  // 2^32 * 2^32 = 2^64 wraps to 0
constexpr std::size_t two_62 = std::size_t(1) << 62;  // 2^62 * 4 = 2^64 wraps to 0
}  // namespace

TEST_CASE("shape overflow: checked_numel counts, allows zeros, and refuses more than PTRDIFF_MAX elements") {
  CHECK(xg::checked_numel("op", xg::Shape{2, 3, 4}) == 24);
  CHECK(xg::checked_numel("op", xg::Shape{}) == 1);
  CHECK(xg::checked_numel("op", xg::Shape{0, 5}) == 0);
  // 2^31 * 2^31 = 2^62 fits; 2^32 * 2^32 = 2^64 wraps; 2^63 exceeds PTRDIFF_MAX = 2^63 - 1.
  CHECK(xg::checked_numel("op", xg::Shape{std::size_t(1) << 31, std::size_t(1) << 31}) == std::size_t(1) << 62);
  CHECK(message_of<xg::ShapeError>([] {
          xg::checked_numel("op", xg::Shape{two_32, two_32});
        }) == "op: the shape (4294967296, 4294967296) has more elements than an array can index");
  CHECK_THROWS_AS(xg::checked_numel("op", xg::Shape{std::size_t(1) << 63}), xg::ShapeError);
  // A zero extent does not excuse the others: xtensor's strides would still overflow.
  CHECK_THROWS_AS(xg::checked_numel("op", xg::Shape{0, two_32, two_32}), xg::ShapeError);
}

TEST_CASE("shape overflow: every factory refuses the shape, naming itself and the shape") {
  const xg::Shape shape{two_32, two_32};
  CHECK(contains(message_of<xg::ShapeError>([&] { xg::zeros(shape); }), "zeros: the shape (4294967296, 4294967296)"));
  CHECK(contains(message_of<xg::ShapeError>([&] { xg::ones<double>(shape); }), "ones: the shape"));
  CHECK(contains(message_of<xg::ShapeError>([&] { xg::full(shape, 1.0f); }), "full: the shape"));
  CHECK(contains(message_of<xg::ShapeError>([&] { xg::rand(shape); }), "rand: the shape"));
  CHECK(contains(message_of<xg::ShapeError>([&] { xg::randn(shape); }), "randn: the shape"));
  CHECK(contains(message_of<xg::ShapeError>([&] { xg::uniform(shape, 0, 1); }), "uniform: the shape"));
  CHECK(contains(message_of<std::invalid_argument>([] { xg::arange(0.0, 1e300); }),
                 "has more elements than an array can index"));
}

TEST_CASE("shape overflow: reshape of an empty tensor to a shape whose count wraps to 0") {
  const auto message = message_of<xg::ShapeError>([] { xg::reshape(xg::zeros({0}), {two_32, two_32}); });
  CHECK(message == "reshape: the shape (4294967296, 4294967296) has more elements than an array can index");
}

TEST_CASE("shape overflow: layers refuse sizes whose weight cannot be indexed") {
  CHECK(message_of<xg::ShapeError>([] { xg::nn::Linear(two_62, 4); }) ==
        "Linear: the shape (4, 4611686018427387904) has more elements than an array can index");
  CHECK(contains(message_of<xg::ShapeError>([] { xg::nn::EmbeddingBag(two_32, two_32); }),
                 "EmbeddingBag: the shape (4294967296, 4294967296)"));
}

TEST_CASE("shape overflow: a CSR matrix of SIZE_MAX rows with an empty row_ptr is refused without reading it") {
  const std::size_t most = std::numeric_limits<std::size_t>::max();
  const xg::CsrMatrix<float> broken{.rows = most, .cols = 3, .row_ptr = {}, .col = {}, .val = {}};
  CHECK(contains(message_of<std::invalid_argument>([&] { broken.validate("op"); }),
                 "op: a CSR matrix of 18446744073709551615 rows needs rows + 1 row offsets"));
  CHECK_THROWS_AS(broken.slice_rows(0, 1), std::invalid_argument);
  CHECK_THROWS_AS(xg::sparse_matmul(broken, xg::zeros({3, 2}, true)), std::invalid_argument);
  CHECK_THROWS_AS(broken.to_dense(), xg::ShapeError);
  const xg::CsrMatrix<float> empty_offsets{.rows = 0, .cols = 3, .row_ptr = {}, .col = {}, .val = {}};
  CHECK_THROWS_AS(empty_offsets.validate("op"), std::invalid_argument);
}

TEST_CASE("shape overflow: broadcasting two empty tensors to a shape whose strides would overflow") {
  constexpr std::size_t two_40 = std::size_t(1) << 40;
  auto a = xg::zeros({two_40, 1, 0}, true);  // no elements: 2^40 * 1 fits, and a 0 extent
  auto b = xg::zeros({two_40, 0});
  CHECK(contains(message_of<xg::ShapeError>([&] { a + b; }),
                 "add: the shape (1099511627776, 1099511627776, 0) has more elements than an array can index"));
  CHECK(contains(message_of<xg::ShapeError>([&] { a* b; }), "mul: the shape (1099511627776, 1099511627776, 0)"));
}
