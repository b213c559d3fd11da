// detect_anomaly: NaN and Inf stop the op that made them, in either phase,
// with the op, its input shapes and its label in the message; the guard nests
// and belongs to one thread.

#include <cmath>
#include <limits>
#include <string>
#include <thread>

#include <doctest/doctest.h>

#include <xgrad/xgrad.hpp>

namespace {

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

bool contains(const std::string& text, const std::string& part) { return text.find(part) != std::string::npos; }

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
