// Views: a contiguous slice or a reshape shares its input's storage, as
// PyTorch's do (core/detail/shared_storage.hpp). Positions are worked out in
// the test from the row-major layout; the lifetime cases drop the arrays in
// every order, on another thread too, and check the registry empties.

#include <doctest/doctest.h>

#include <thread>
#include <utility>
#include <vector>

#include <xgrad/core/detail/shared_storage.hpp>
#include <xgrad/xgrad.hpp>

namespace {

using xg::Slice;
using xg::Tensor64;

// Element (i, j) of the 3x4 matrix is 4i + j.
Tensor64 matrix_3x4() { return xg::arange<double>(12).reshape({3, 4}); }

const double* data(const Tensor64& t) { return t.value().data(); }

void check_values(const xg::Array<double>& a, const std::vector<double>& expected) {
  REQUIRE(a.size() == expected.size());
  for (std::size_t i = 0; i < expected.size(); ++i) CHECK(a.data()[i] == expected[i]);
}

void check_values(const Tensor64& t, const std::vector<double>& expected) { check_values(t.value(), expected); }

}  // namespace

TEST_CASE("views: a contiguous slice or a reshape points into its input's storage") {
  {
    const Tensor64 x = matrix_3x4();
    CHECK(data(x[1]) == data(x) + 4);
    CHECK(data(x[-1]) == data(x) + 8);
    CHECK(data(x.narrow(0, 1, 2)) == data(x) + 4);
    CHECK(data(x.index({Slice(1, 3)})) == data(x) + 4);
    CHECK(data(x[2].narrow(0, 1, 2)) == data(x) + 9);  // a view of a view
    CHECK(data(x.reshape({4, 3})) == data(x));
    CHECK(data(x.flatten()) == data(x));
    CHECK(data(x.unsqueeze(0)) == data(x));
    CHECK(data(x.unsqueeze(0).squeeze(0)) == data(x));
    CHECK(data(xg::select(x.unsqueeze(1), 1, 0)) == data(x));  // an axis of extent 1 never moves
    check_values(x.narrow(0, 1, 2), {4, 5, 6, 7, 8, 9, 10, 11});
  }
  CHECK(xg::detail::shared_pointer_count() == 0);
}

TEST_CASE("views: a region that is not consecutive in the input is a copy") {
  {
    const Tensor64 x = matrix_3x4();
    const Tensor64 column = xg::select(x, 1, 2);
    CHECK(data(column) != data(x) + 2);
    check_values(column, {2, 6, 10});
    const Tensor64 every_other_row = x.index({Slice(0, 3, 2)});
    check_values(every_other_row, {0, 1, 2, 3, 8, 9, 10, 11});
    CHECK(data(every_other_row) != data(x));
    const Tensor64 middle = x.narrow(1, 1, 2);
    check_values(middle, {1, 2, 5, 6, 9, 10});
    // A copy shares nothing: writing into it leaves x alone.
    xg::no_grad guard;
    Tensor64 written = middle;
    written.index_put_({0, 0}, -1.0);
    CHECK(data(x)[1] == 1);
  }
  CHECK(xg::detail::shared_pointer_count() == 0);
}

TEST_CASE("views: writing through a view writes into its base, and the other way") {
  {
    Tensor64 x = matrix_3x4();
    Tensor64 row = x[1];
    xg::no_grad guard;
    row.index_put_({Slice(1, 3)}, -1.0);
    check_values(x, {0, 1, 2, 3, 4, -1, -1, 7, 8, 9, 10, 11});
    x.index_put_({1, 0}, 40.0);
    check_values(row, {40, -1, -1, 7});
    Tensor64 flat = x.reshape({12});
    flat.index_put_({11}, 110.0);
    CHECK(data(x)[11] == 110);
  }
  CHECK(xg::detail::shared_pointer_count() == 0);
}

TEST_CASE("views: index_put_ from an overlapping view of the same tensor reads the source whole first") {
  Tensor64 x = xg::arange<double>(4);  // 0 1 2 3
  xg::no_grad guard;
  x.index_put_({Slice(1, 4)}, x.index({Slice(0, 3)}));
  // The shift numpy gives for x[1:] = x[:3].copy(): 0 0 1 2, not 0 0 0 0.
  check_values(x, {0, 0, 1, 2});
}

TEST_CASE("views: a view outlives its base, and the storage goes with the last of them") {
  Tensor64 row;
  {
    Tensor64 x = matrix_3x4();
    row = x[2];
  }
  // Arrays of the same size allocated now must not land on the row's storage.
  std::vector<Tensor64> others;
  for (int i = 0; i < 8; ++i) others.push_back(xg::full<double>({3, 4}, 7.0));
  check_values(row, {8, 9, 10, 11});
  CHECK(xg::detail::shared_pointer_count() > 0);
  row = Tensor64();
  CHECK(xg::detail::shared_pointer_count() == 0);
}

TEST_CASE("views: giving the base a value of another size leaves the view on the old storage") {
  {
    Tensor64 x = matrix_3x4();
    const Tensor64 row = x[0];
    x.value() = xg::Array<double>::from_shape({5});
    x.value().fill(-3.0);
    check_values(row, {0, 1, 2, 3});
  }
  CHECK(xg::detail::shared_pointer_count() == 0);
}

TEST_CASE("views: the last array of a shared block may be freed on another thread") {
  Tensor64 x = matrix_3x4();
  std::vector<Tensor64> views{x[0], x[1], x.reshape({12})};
  x = Tensor64();
  std::thread worker([moved = std::move(views)]() mutable {
    CHECK(moved[1].value()(3) == 7);
    moved.clear();
  });
  worker.join();
  CHECK(xg::detail::shared_pointer_count() == 0);
}

TEST_CASE("views: gradients through views are those of the copies they replace") {
  Tensor64 leaf = matrix_3x4().detach();
  leaf.requires_grad_();
  const Tensor64 loss = xg::sum(leaf[1] * leaf.reshape({12}).narrow(0, 4, 4)) + xg::sum(leaf.narrow(0, 2, 1) * 2.0);
  loss.backward();
  // d/dx(1,j) of sum(x(1,j)^2) is 2 x(1,j) = 2(4 + j); row 2 gets 2; row 0 nothing.
  check_values(leaf.grad(), {0, 0, 0, 0, 8, 10, 12, 14, 2, 2, 2, 2});
  const auto result = xg::autograd::gradcheck(
      [](const std::vector<Tensor64>& in) {
        return xg::sum(in[0][1] * in[0].reshape({2, 6})[0].narrow(0, 2, 4));
      },
      {leaf});
  CHECK_MESSAGE(result.passed, result.message);
}
