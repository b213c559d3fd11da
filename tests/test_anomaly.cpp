// detect_anomaly: NaN and Inf stop the op that made them, in either phase,
// with the op, its input shapes and its label in the message; the guard nests
// and belongs to one thread.

#include <cmath>
#include <limits>
#include <string>
#include <thread>
#include <vector>

#include <doctest/doctest.h>

#include <xgrad/xgrad.hpp>

#include "exception_message.hpp"

namespace {

using xg::testing::contains;

// The message of the AnomalyError `f` throws, or "" when it throws none.
template <class F>
std::string anomaly_message(F f) {
  try {
    f();
  } catch (const xg::AnomalyError& e) {
    return e.what();
  }
  return "";
}

}  // namespace

TEST_CASE("anomaly: without the guard, log(0) gives -inf silently as in PyTorch") {
  auto x = xg::tensor<float>(xg::Array<float>{1.0f, 0.0f, 2.0f}, true);
  const auto y = xg::log(x);
  CHECK(y.value()(1) == -std::numeric_limits<float>::infinity());
}

TEST_CASE("anomaly: a non-finite forward value names the op, phase, shapes and label") {
  xg::autograd::detect_anomaly guard;
  auto x = xg::tensor<float>(xg::Array<float>{1.0f, 0.0f, 2.0f}, true);
  const std::string message = anomaly_message([&] {
    xg::autograd::anomaly_label model("model");
    xg::autograd::anomaly_label layer("layer2");
    xg::log(x);
  });
  INFO(message);
  CHECK(contains(message, "forward of 'log'"));
  CHECK(contains(message, "-Inf at flat index 1"));
  CHECK(contains(message, "input shapes: (3,)"));
  CHECK(contains(message, "label 'model/layer2'"));
  CHECK(contains(message, "test_anomaly.cpp:"));
}

TEST_CASE("anomaly: an input that already held NaN is pointed out") {
  xg::autograd::detect_anomaly guard;
  const auto nan = std::numeric_limits<double>::quiet_NaN();
  auto a = xg::tensor<double>(xg::Array<double>{{1.0, nan}}, true);
  auto b = xg::tensor<double>(xg::Array<double>{2.0, 3.0}, true);
  const std::string message = anomaly_message([&] { a + b; });
  INFO(message);
  CHECK(contains(message, "forward of 'add'"));
  CHECK(contains(message, "NaN at flat index 1"));
  CHECK(contains(message, "input shapes: (1, 2), (2,)"));
  CHECK(contains(message, "input 0 (from 'leaf') already held NaN"));
  CHECK(contains(message, "no anomaly_label scope"));
}

TEST_CASE("anomaly: a non-finite gradient in backward names the op and the label it was created under") {
  xg::autograd::detect_anomaly guard;
  auto x = xg::tensor<double>(xg::Array<double>{4.0, 0.0}, true);
  xg::Tensor64 loss;
  {
    xg::autograd::anomaly_label label("root");
    loss = xg::sum(xg::sqrt(x));  // sqrt(0) = 0 is finite; its derivative 1/(2·sqrt(0)) is not
  }
  const std::string message = anomaly_message([&] { loss.backward(); });
  INFO(message);
  CHECK(contains(message, "backward of 'sqrt'"));
  CHECK(contains(message, "gradient for input 0 (Inf at flat index 1 of shape (2,))"));
  CHECK(contains(message, "input shapes: (2,)"));
  CHECK(contains(message, "label 'root'"));
}

TEST_CASE("anomaly: a backward in anomaly mode checks ops recorded before it was turned on") {
  auto x = xg::tensor<float>(xg::Array<float>{0.0f}, true);
  const auto loss = xg::sum(xg::sqrt(x));
  xg::autograd::detect_anomaly guard;
  const std::string message = anomaly_message([&] { loss.backward(); });
  CHECK(contains(message, "backward of 'sqrt'"));
  CHECK(contains(message, "an op recorded outside anomaly mode"));
}

TEST_CASE("anomaly: finite values pass and give the same results as without the guard") {
  auto x = xg::tensor<double>(xg::Array<double>{1.0, 4.0}, true);
  {
    xg::autograd::detect_anomaly guard;
    xg::sum(xg::sqrt(x) * 3.0).backward();
  }
  // d/dx 3·sqrt(x) = 1.5/sqrt(x)
  CHECK(x.grad()(0) == 1.5);
  CHECK(x.grad()(1) == 0.75);
}

TEST_CASE("anomaly: guards nest, and detect_anomaly(false) turns it off for an inner scope") {
  auto x = xg::tensor<float>(xg::Array<float>{0.0f}, true);
  CHECK_FALSE(xg::autograd::is_anomaly_enabled());
  {
    xg::autograd::detect_anomaly outer;
    CHECK(xg::autograd::is_anomaly_enabled());
    {
      xg::autograd::detect_anomaly inner(false);
      CHECK_FALSE(xg::autograd::is_anomaly_enabled());
      CHECK_NOTHROW(xg::log(x));
    }
    CHECK(xg::autograd::is_anomaly_enabled());
    CHECK_THROWS_AS(xg::log(x), xg::AnomalyError);
  }
  CHECK_FALSE(xg::autograd::is_anomaly_enabled());
}

TEST_CASE("anomaly: the guard and the labels belong to the thread that opened them") {
  xg::autograd::detect_anomaly guard;
  xg::autograd::anomaly_label label("main thread");
  bool other_enabled = true;
  std::string other_origin;
  std::thread other([&] {
    other_enabled = xg::autograd::is_anomaly_enabled();
    other_origin = xg::autograd::anomaly_origin();
  });
  other.join();
  CHECK_FALSE(other_enabled);
  CHECK(other_origin == "no anomaly_label scope");
  CHECK(contains(xg::autograd::anomaly_origin(), "main thread"));
}

TEST_CASE("anomaly: relu passes NaN on, so the guard sees it (relu(NaN) was 0)") {
  const float nan = std::numeric_limits<float>::quiet_NaN();
  auto x = xg::tensor<float>(xg::Array<float>{nan, -1.0f, 2.0f}, true);
  auto y = xg::relu(x);
  CHECK(std::isnan(y.value()(0)));  // PyTorch: torch.relu(nan) is nan
  CHECK(y.value()(1) == 0.0f);
  CHECK(y.value()(2) == 2.0f);
  xg::sum(y).backward();
  // threshold_backward(grad, result, 0): the gradient is cut only where relu's result is <= 0.
  CHECK(x.grad()(0) == 1.0f);
  CHECK(x.grad()(1) == 0.0f);
  CHECK(x.grad()(2) == 1.0f);
  xg::autograd::detect_anomaly guard;
  const std::string message = anomaly_message([&] { xg::relu(x); });
  CHECK(contains(message, "forward of 'relu'"));
  CHECK(contains(message, "NaN at flat index 0"));
}

namespace {

// x (2, 3) with values 1e30 times W (3, 2) = 0: the forward is 0, but W's
// row-sparse gradient x^T (1e30 * ones) is 1e60, Inf in float32.
struct SparseOverflow {
  xg::CsrMatrix<float> x{.rows = 2, .cols = 3, .row_ptr = {0, 1, 2}, .col = {0, 2}, .val = {1e30f, 1e30f}};
  xg::Tensor w = xg::zeros({3, 2}, true);
  xg::Tensor loss() const { return xg::sum(xg::sparse_matmul(x, w) * 1e30f); }
};

}  // namespace

TEST_CASE("anomaly: a non-finite row-sparse gradient is caught like a dense one, and W keeps no gradient") {
  SparseOverflow model;
  const auto loss = model.loss();
  xg::autograd::detect_anomaly guard;
  const std::string message = anomaly_message([&] { loss.backward(); });
  INFO(message);
  CHECK(contains(message, "backward of 'sparse_matmul'"));
  CHECK(contains(message, "Inf at flat index 0 of its row-sparse values, in row 0 of shape (3, 2)"));
  CHECK_FALSE(model.w.has_grad());
}

TEST_CASE("anomaly: a refused backward puts back the gradients the leaves held before it") {
  SUBCASE("row-sparse, on top of a sparse gradient from an earlier pass") {
    SparseOverflow model;
    xg::sum(xg::sparse_matmul(model.x, model.w) * 1e-30f).backward();  // about 1e30 * 1e-30 = 1 in rows 0 and 2
    REQUIRE(model.w.has_sparse_grad());
    const xg::Array<float> before = model.w.sparse_grad().values;
    const auto loss = model.loss();
    xg::autograd::detect_anomaly guard;
    CHECK(contains(anomaly_message([&] { loss.backward(); }), "sparse_matmul"));
    REQUIRE(model.w.has_sparse_grad());
    CHECK(model.w.sparse_grad().rows == std::vector<std::size_t>{0, 2});
    CHECK(model.w.sparse_grad().values == before);
    CHECK(std::abs(before(0, 0) - 1.0f) < 1e-6f);
  }
  SUBCASE("dense: a leaf that got a finite part of the pass before the op that failed") {
    auto a = xg::tensor<double>(xg::Array<double>{1.0, 2.0}, true);
    a.grad() = xg::Array<double>{5.0, 6.0};
    auto b = xg::tensor<double>(xg::Array<double>{4.0, 0.0}, true);
    // d/da = 1 reaches a before sqrt's backward makes b's gradient Inf (order: add, then sqrt).
    const auto loss = xg::sum(a + xg::sqrt(b));
    xg::autograd::detect_anomaly guard;
    CHECK(contains(anomaly_message([&] { loss.backward(); }), "backward of 'sqrt'"));
    CHECK(a.grad() == xg::Array<double>{5.0, 6.0});
    CHECK_FALSE(b.has_grad());
  }
}
