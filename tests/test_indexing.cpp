// Indexing, slicing and shape ops: forward values against positions worked
// out in the test, float64 gradchecks of every op on every axis (negative and
// stepped slices included), the backward writing into the picked region
// only, index_put_, and the errors naming the op and the shapes.

#include <doctest/doctest.h>

#include <limits>
#include <string>
#include <vector>

#include <xgrad/xgrad.hpp>

#include "exception_message.hpp"

namespace {

using xg::Ellipsis;
using xg::NewAxis;
using xg::None;
using xg::Shape;
using xg::Slice;
using xg::Tensor64;
using xg::testing::contains;
using xg::testing::message_of;
using Inputs = std::vector<Tensor64>;

// Element (i, j) of the 3x4 matrix is 4i + j.
Tensor64 matrix_3x4() { return xg::arange<double>(12).reshape({3, 4}); }

// Element (i, j, k) of the 2x3x4 tensor is 12i + 4j + k.
Tensor64 cube_2x3x4() { return xg::arange<double>(24).reshape({2, 3, 4}); }

void check_values(const Tensor64& t, const Shape& shape, const std::vector<double>& expected) {
  REQUIRE(xg::shapes_equal(t.shape(), shape));
  REQUIRE(t.numel() == expected.size());
  for (std::size_t i = 0; i < expected.size(); ++i) CHECK(t.value().data()[i] == expected[i]);
}

void check_gradients(const std::function<Tensor64(const Inputs&)>& fn, const Inputs& inputs) {
  const auto result = xg::autograd::gradcheck(fn, inputs);
  CHECK_MESSAGE(result.passed, result.message);
}

Tensor64 leaf(const Shape& shape, std::uint64_t seed) {
  xg::Generator gen(seed);
  return xg::uniform<double>(shape, -2.0, 2.0, true, gen);
}

}  // namespace

TEST_CASE("indexing: select and t[i] pick one position of an axis, negative from the end") {
  const Tensor64 x = matrix_3x4();
  check_values(x[1], {4}, {4, 5, 6, 7});
  check_values(x[-1], {4}, {8, 9, 10, 11});
  check_values(xg::select(x, 1, -1), {3}, {3, 7, 11});
  check_values(x.select(-1, 0), {3}, {0, 4, 8});
  check_values(x[2][3], {}, {11});
  const Tensor64 y = cube_2x3x4();
  check_values(xg::select(y, 1, 2), {2, 4}, {8, 9, 10, 11, 20, 21, 22, 23});
}

TEST_CASE("indexing: slice follows Python's bounds, negative indices, clamping and steps") {
  const Tensor64 x = matrix_3x4();
  check_values(xg::slice(x, 1, 1, None, 2), {3, 2}, {1, 3, 5, 7, 9, 11});          // x[:, 1::2]
  check_values(xg::slice(x, 0, -2), {2, 4}, {4, 5, 6, 7, 8, 9, 10, 11});           // x[-2:]
  check_values(xg::slice(x, -1, None, -1), {3, 3}, {0, 1, 2, 4, 5, 6, 8, 9, 10});  // x[:, :-1]
  check_values(xg::slice(x, 0, -10, 10), {3, 4}, std::vector<double>{0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11});
  check_values(xg::slice(x, 0, 5, 7), {0, 4}, {});                      // past the end: empty
  check_values(xg::slice(x, 1, 3, 1), {3, 0}, {});                      // stop before start: empty
  check_values(xg::slice(x, 1, 0, 4, 3), {3, 2}, {0, 3, 4, 7, 8, 11});  // x[:, 0:4:3]
  constexpr long huge = std::numeric_limits<long>::max();
  check_values(xg::slice(x, 0, None, None, huge), {1, 4}, {0, 1, 2, 3});  // x[::huge]: the first row
  check_values(x.index({Slice(-huge, huge, huge), -1}), {1}, {3});
}

TEST_CASE("indexing: narrow takes length elements from start") {
  const Tensor64 x = matrix_3x4();
  check_values(xg::narrow(x, 1, 1, 2), {3, 2}, {1, 2, 5, 6, 9, 10});
  check_values(x.narrow(0, -1, 1), {1, 4}, {8, 9, 10, 11});
  check_values(xg::narrow(x, 0, 3, 0), {0, 4}, {});
}

TEST_CASE("indexing: index with slices, integers, Ellipsis and NewAxis, as NumPy's x[...]") {
  const Tensor64 x = matrix_3x4();
  check_values(x.index({Slice(0, 3), 1}), {3}, {1, 5, 9});                                      // x[0:3, 1]
  check_values(x.index({Slice(None, None, 2), Slice(1, None)}), {2, 3}, {1, 2, 3, 9, 10, 11});  // x[::2, 1:]
  check_values(x.index({Ellipsis, 2}), {3}, {2, 6, 10});                                        // x[..., 2]
  check_values(x.index({1, NewAxis}), {1, 4}, {4, 5, 6, 7});                                    // x[1, None]
  check_values(x.index({None, Slice(), 0}), {1, 3}, {0, 4, 8});                                 // x[None, :, 0]
  check_values(x.index({-1, -2}), {}, {10});                                                    // x[-1, -2]
  check_values(x.index({}), {3, 4}, std::vector<double>{0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11});
  const Tensor64 y = cube_2x3x4();
  check_values(y.index({1, Ellipsis, Slice(-1, None)}), {3, 1}, {15, 19, 23});               // y[1, ..., -1:]
  check_values(y.index({Ellipsis, 0, Slice(None, None, 3)}), {2, 2}, {0, 3, 12, 15});        // y[..., 0, ::3]
  check_values(y.index({Slice(), Ellipsis, NewAxis, 1}), {2, 3, 1}, {1, 5, 9, 13, 17, 21});  // y[:, ..., None, 1]
}

TEST_CASE("indexing: index_select on any axis, with a braced list") {
  const Tensor64 x = matrix_3x4();
  const int w = 2;
  check_values(xg::index_select(x, {w}), {1, 4}, {8, 9, 10, 11});
  check_values(xg::index_select(x, {2, 0}, 1), {3, 2}, {2, 0, 6, 4, 10, 8});
  check_values(xg::index_select(x, {3u, 3u}, -1), {3, 2}, {3, 3, 7, 7, 11, 11});
  const Tensor64 y = cube_2x3x4();
  check_values(xg::index_select(y, {2, 0}, 1), {2, 2, 4}, {8, 9, 10, 11, 0, 1, 2, 3, 20, 21, 22, 23, 12, 13, 14, 15});
}

TEST_CASE("shape ops: permute and transpose(a, b) move every element where the axes say") {
  const Tensor64 y = cube_2x3x4();
  const Tensor64 p = xg::permute(y, {2, 0, 1});  // p[k, i, j] = y[i, j, k]
  REQUIRE(xg::shapes_equal(p.shape(), Shape{4, 2, 3}));
  const Tensor64 t = y.transpose(0, -1);  // t[k, j, i] = y[i, j, k]
  REQUIRE(xg::shapes_equal(t.shape(), Shape{4, 3, 2}));
  for (std::size_t i = 0; i < 2; ++i)
    for (std::size_t j = 0; j < 3; ++j)
      for (std::size_t k = 0; k < 4; ++k) {
        CHECK(p.value()(k, i, j) == 12.0 * i + 4.0 * j + k);
        CHECK(t.value()(k, j, i) == 12.0 * i + 4.0 * j + k);
      }
  check_values(matrix_3x4().permute({1, 0}), {4, 3}, {0, 4, 8, 1, 5, 9, 2, 6, 10, 3, 7, 11});
  check_values(xg::transpose(y, 1, 1), {2, 3, 4}, std::vector<double>(y.value().begin(), y.value().end()));
}

TEST_CASE("shape ops: squeeze, unsqueeze, flatten, stack") {
  const Tensor64 s = xg::zeros<double>({1, 3, 1, 2});
  CHECK(xg::shapes_equal(xg::squeeze(s).shape(), Shape{3, 2}));
  CHECK(xg::shapes_equal(s.squeeze(-2).shape(), Shape{1, 3, 2}));
  CHECK(xg::shapes_equal(s.squeeze(1).shape(), Shape{1, 3, 1, 2}));  // size 3: unchanged, as torch
  CHECK(xg::shapes_equal(matrix_3x4().unsqueeze(0).shape(), Shape{1, 3, 4}));
  CHECK(xg::shapes_equal(matrix_3x4().unsqueeze(-1).shape(), Shape{3, 4, 1}));
  CHECK(xg::shapes_equal(matrix_3x4().unsqueeze(1).shape(), Shape{3, 1, 4}));
  const Tensor64 y = cube_2x3x4();
  check_values(y.flatten(), {24}, std::vector<double>(y.value().begin(), y.value().end()));
  CHECK(xg::shapes_equal(y.flatten(1).shape(), Shape{2, 12}));
  CHECK(xg::shapes_equal(xg::flatten(y, 0, 1).shape(), Shape{6, 4}));
  CHECK(xg::shapes_equal(xg::flatten(y, -2, -2).shape(), Shape{2, 3, 4}));
  CHECK(xg::shapes_equal(xg::scalar_tensor<double>(5.0).flatten().shape(), Shape{1}));

  const Tensor64 a = xg::tensor<double>({1, 2, 3}), b = xg::tensor<double>({4, 5, 6});
  check_values(xg::stack(std::vector<Tensor64>{a, b}), {2, 3}, {1, 2, 3, 4, 5, 6});
  check_values(xg::stack(std::vector<Tensor64>{a, b}, 1), {3, 2}, {1, 4, 2, 5, 3, 6});
  check_values(xg::stack(std::vector<Tensor64>{a, b}, -1), {3, 2}, {1, 4, 2, 5, 3, 6});
}

TEST_CASE("shape ops: expand and broadcast_to repeat size-1 axes; -1 keeps a dimension") {
  const Tensor64 z = xg::arange<double>(3).reshape({3, 1});  // (3, 1): 0, 1, 2
  const Tensor64 e = z.expand({2, -1, 4});                   // e[a, i, k] = i
  REQUIRE(xg::shapes_equal(e.shape(), Shape{2, 3, 4}));
  for (std::size_t a = 0; a < 2; ++a)
    for (std::size_t i = 0; i < 3; ++i)
      for (std::size_t k = 0; k < 4; ++k) CHECK(e.value()(a, i, k) == double(i));
  check_values(xg::broadcast_to(xg::tensor<double>({7, 8}), {2, 2}), {2, 2}, {7, 8, 7, 8});
}

TEST_CASE("slicing ops: split and chunk give consecutive pieces as torch does") {
  const Tensor64 x = xg::arange<double>(10).reshape({5, 2});
  const auto by_two = xg::split(x, 2);
  REQUIRE(by_two.size() == 3);
  check_values(by_two[2], {1, 2}, {8, 9});
  const auto listed = xg::split(x, std::vector<std::size_t>{1, 4});
  REQUIRE(listed.size() == 2);
  check_values(listed[0], {1, 2}, {0, 1});
  check_values(listed[1], {4, 2}, {2, 3, 4, 5, 6, 7, 8, 9});
  const auto columns = x.split(1, 1);
  REQUIRE(columns.size() == 2);
  check_values(columns[1], {5, 1}, {1, 3, 5, 7, 9});
  const auto halves = x.chunk(2);  // ceil(5 / 2) = 3 rows, then 2
  REQUIRE(halves.size() == 2);
  check_values(halves[0], {3, 2}, {0, 1, 2, 3, 4, 5});
  check_values(halves[1], {2, 2}, {6, 7, 8, 9});
  CHECK(xg::chunk(xg::arange<double>(6), 4).size() == 3);  // ceil(6 / 4) = 2 per piece: 3 pieces, as torch
  CHECK(xg::chunk(xg::arange<double>(6), std::numeric_limits<std::size_t>::max()).size() == 6);
}

TEST_CASE("gradcheck: select, slice and narrow on every axis, negative and stepped") {
  const Tensor64 x = leaf({3, 4, 5}, 11);
  for (long axis = -3; axis < 3; ++axis) {
    CAPTURE(axis);
    for (long i : {0L, 2L, -1L})
      check_gradients([axis, i](const Inputs& in) { return xg::select(in[0], axis, i); }, {x});
    check_gradients([axis](const Inputs& in) { return xg::slice(in[0], axis, 1, None, 2); }, {x});
    check_gradients([axis](const Inputs& in) { return xg::slice(in[0], axis, -2); }, {x});
    check_gradients([axis](const Inputs& in) { return xg::slice(in[0], axis, None, -1, 3); }, {x});
    check_gradients([axis](const Inputs& in) { return xg::narrow(in[0], axis, -2, 2); }, {x});
    check_gradients([axis](const Inputs& in) { return xg::index_select(in[0], {2, 0, 2}, axis); }, {x});
  }
  check_gradients([](const Inputs& in) { return in[0][1]; }, {x});
}

TEST_CASE("gradcheck: index with several items, each kind") {
  const Tensor64 x = leaf({3, 4, 5}, 12);
  check_gradients([](const Inputs& in) { return in[0].index({Slice(0, 3, 2), 1}); }, {x});
  check_gradients([](const Inputs& in) { return in[0].index({Ellipsis, Slice(-3, None, 2)}); }, {x});
  check_gradients([](const Inputs& in) { return in[0].index({-1, NewAxis, Slice(None, None, 3), 4}); }, {x});
  // Two overlapping picks of one input add up in its gradient.
  check_gradients([](const Inputs& in) { return in[0].index({Slice(0, 2)}) * in[0].index({Slice(1, 3)}); }, {x});
}

TEST_CASE("gradcheck: permute, transpose, squeeze, unsqueeze, flatten, stack, expand, split, chunk") {
  const Tensor64 x = leaf({2, 3, 4}, 13);
  check_gradients([](const Inputs& in) { return xg::permute(in[0], {2, 0, 1}); }, {x});
  check_gradients([](const Inputs& in) { return xg::permute(in[0], {-1, 1, 0}); }, {x});
  for (long a = 0; a < 3; ++a)
    for (long b = 0; b < 3; ++b) check_gradients([a, b](const Inputs& in) { return xg::transpose(in[0], a, b); }, {x});
  for (long axis = -4; axis < 4; ++axis)
    check_gradients([axis](const Inputs& in) { return xg::unsqueeze(in[0], axis); }, {x});
  const Tensor64 ones_axes = leaf({1, 3, 1}, 14);
  check_gradients([](const Inputs& in) { return xg::squeeze(in[0]); }, {ones_axes});
  check_gradients([](const Inputs& in) { return xg::squeeze(in[0], -1); }, {ones_axes});
  check_gradients([](const Inputs& in) { return xg::flatten(in[0], 1); }, {x});
  check_gradients([](const Inputs& in) { return xg::flatten(in[0]); }, {x});
  const Tensor64 y = leaf({2, 3, 4}, 15);
  for (long axis = -4; axis < 4; ++axis)
    check_gradients([axis](const Inputs& in) { return xg::stack(in, axis); }, {x, y});
  check_gradients([](const Inputs& in) { return xg::expand(in[0], {2, 3, -1, 4}); }, {ones_axes});
  check_gradients([](const Inputs& in) { return xg::broadcast_to(in[0], {3, 4}); }, {leaf({4}, 16)});
  for (long axis = 0; axis < 3; ++axis) {
    check_gradients(
        [axis](const Inputs& in) {
          const auto pieces = xg::split(in[0], 1, axis);
          return pieces.back() * 2.0 - pieces.front();
        },
        {x});
    check_gradients([axis](const Inputs& in) { return xg::chunk(in[0], 2, axis).back(); }, {x});
  }
}

TEST_CASE("indexing backward: the gradient lands in the picked region only, added to what is there") {
  const Tensor64 x = xg::zeros<double>({3, 4}, true);
  xg::sum(x.index({Slice(0, 3, 2), 1}) * 3.0).backward();
  xg::sum(x[2]).backward();
  // 3 at (0, 1) and (2, 1) from the first pass, 1 on row 2 from the second.
  const std::vector<double> expected = {0, 3, 0, 0, 0, 0, 0, 0, 1, 4, 1, 1};
  for (std::size_t i = 0; i < expected.size(); ++i) CHECK(x.grad().data()[i] == expected[i]);
  const Tensor64 z = xg::zeros<double>({3, 1}, true);
  xg::sum(z.expand({2, 3, 4})).backward();  // each element repeated 2 * 4 times
  for (double g : z.grad()) CHECK(g == 8.0);
}

TEST_CASE("index_put_: writes a value or a broadcast tensor into the region, under no_grad for parameters") {
  Tensor64 x = matrix_3x4();
  x.index_put_({Slice(0, 2), 1}, -1.0);
  check_values(x, {3, 4}, {0, -1, 2, 3, 4, -1, 6, 7, 8, 9, 10, 11});
  x.index_put_({Ellipsis, Slice(2, None)}, xg::tensor<double>({20, 30}));  // (2,) broadcast to (3, 2)
  check_values(x, {3, 4}, {0, -1, 20, 30, 4, -1, 20, 30, 8, 9, 20, 30});
  x.index_put_({2}, x[0]);
  check_values(x, {3, 4}, {0, -1, 20, 30, 4, -1, 20, 30, 0, -1, 20, 30});

  Tensor64 w = xg::zeros<double>({2, 2}, true);
  const std::string refused = message_of<xg::GraphError>([&] { w.index_put_({0}, 1.0); });
  CHECK(contains(refused, "index_put_"));
  CHECK(contains(refused, "requires grad"));
  CHECK(w.value()(0, 0) == 0.0);
  {
    xg::no_grad guard;
    w.index_put_({0}, 1.0);
  }
  check_values(w, {2, 2}, {1, 1, 0, 0});
  CHECK(w.is_leaf());
  CHECK(contains(message_of<xg::ShapeError>([&] { x.index_put_({Slice(0, 2)}, xg::zeros<double>({3})); }),
                 "index_put_: cannot write a tensor of shape (3,) into a region of shape (2, 4)"));
}

TEST_CASE("indexing errors name the op, the values and the shapes") {
  const Tensor64 x = matrix_3x4();
  using E = std::invalid_argument;
  CHECK(message_of<E>([&] { (void)x[5]; }) == "select: index 5 is out of range for axis 0 of size 3 (shape (3, 4))");
  CHECK(message_of<E>([&] { (void)xg::select(x, 1, -5); }) ==
        "select: index -5 is out of range for axis 1 of size 4 (shape (3, 4))");
  CHECK(message_of<E>([&] { (void)xg::select(x, 2, 0); }) ==
        "select: axis 2 is out of range for a 2-D tensor (valid: -2 to 1)");
  CHECK(message_of<E>([&] { (void)xg::slice(x, 0, 0, 2, 0); }) ==
        "slice: step must be positive, got 0 for axis 0 (shape (3, 4)); negative steps are not supported, as in "
        "PyTorch");
  CHECK(
      contains(message_of<E>([&] { (void)x.index({Slice(None, None, -1)}); }), "index: step must be positive, got -1"));
  CHECK(message_of<E>([&] {
          (void)x.index({0, 1, 2});
        }) == "index: too many indices for a tensor of shape (3, 4): 3 axes indexed, the tensor has 2");
  CHECK(message_of<E>([&] {
          (void)x.index({0, 7});
        }) == "index: index 7 is out of range for axis 1 of size 4 (shape (3, 4))");
  CHECK(contains(message_of<E>([&] { (void)x.index({Ellipsis, Ellipsis}); }), "only one Ellipsis"));
  CHECK(message_of<E>([&] { (void)xg::narrow(x, 1, 3, 2); }) ==
        "narrow: start 3 and length 2 do not fit in axis 1 of size 4 (shape (3, 4))");
  CHECK(message_of<E>([&] {
          (void)xg::index_select(x, {0, 3});
        }) == "index_select: index 3 (at position 1) is out of range for axis 0 of size 3");
  CHECK(message_of<E>([&] { (void)xg::index_select(x, {-1}); }) ==
        "index_select: index -1 (at position 0) is negative");
  CHECK(message_of<E>([&] {
          (void)xg::permute(x, {0, 0});
        }) == "permute: (0, 0) is not a permutation of the 2 axes of a tensor of shape (3, 4)");
  CHECK(message_of<E>([&] { (void)xg::permute(x, {1}); }) ==
        "permute: (1,) is not a permutation of the 2 axes of a tensor of shape (3, 4)");
  CHECK(message_of<xg::ShapeError>([&] {
          (void)x.expand({3, 5});
        }) ==
        "expand: cannot expand a tensor of shape (3, 4) to (3, 5): dimension 1 has size 4, which is not 1 and not 5");
  CHECK(message_of<xg::ShapeError>([&] {
          (void)x.expand({-2, 4});
        }) == "expand: cannot expand a tensor of shape (3, 4) to (-2, 4): size -2 for dimension 0 is negative");
  CHECK(message_of<xg::ShapeError>([&] { (void)xg::broadcast_to(x, {4}); }) ==
        "broadcast_to: cannot expand a tensor of shape (3, 4) to (4,): the target has fewer dimensions than the "
        "tensor");
  CHECK(message_of<E>([&] {
          (void)xg::split(x, std::vector<std::size_t>{1, 1});
        }) == "split: sizes [1, 1] sum to 2 but axis 0 has size 3 (shape (3, 4))");
  CHECK(message_of<E>([&] { (void)xg::chunk(x, 0); }) == "chunk: chunks must be positive, got 0 (shape (3, 4))");
  CHECK(message_of<E>([&] { (void)xg::unsqueeze(x, 3); }) ==
        "unsqueeze: axis 3 is out of range for inserting into a 2-D tensor (valid: -3 to 2)");
  CHECK(message_of<E>([&] { (void)xg::flatten(cube_2x3x4(), 2, 1); }) ==
        "flatten: start axis 2 comes after end axis 1 for a tensor of shape (2, 3, 4)");
  CHECK(message_of<xg::ShapeError>([&] {
          (void)xg::stack(std::vector<Tensor64>{x, x.T()});
        }) == "stack: all tensors must have one shape: tensor 0 has shape (3, 4), tensor 1 has (4, 3)");
}
