// step(closure), offered by every optimizer as in PyTorch: the closure runs
// once, with grad mode on even inside no_grad, then the step; its loss is
// returned.

#include <doctest/doctest.h>

#include <xgrad/optim/optim.hpp>
#include <xgrad/xgrad.hpp>

TEST_CASE("step(closure): evaluates the closure once with grad mode on, steps, returns its loss") {
  auto w = xg::tensor<double>(xg::Array<double>{1.0, -2.0}, true);
  xg::optim::SGD<double> optimizer({w}, {.lr = 0.1});
  int calls = 0;
  bool recording = false;
  auto closure = [&] {
    ++calls;
    recording = xg::is_grad_enabled();
    optimizer.zero_grad();
    auto loss = xg::sum(w * w);
    loss.backward();
    return loss.item();
  };
  double loss;
  {
    xg::no_grad guard;
    loss = optimizer.step(closure);
    CHECK_FALSE(xg::is_grad_enabled());
  }
  CHECK(calls == 1);
  CHECK(recording);
  // f = 1 + 4 at w = (1, −2); g = 2w, so w ← w − 0.1·2w = 0.8w.
  CHECK(loss == 5.0);
  CHECK(w.value()(0) == doctest::Approx(0.8).epsilon(1e-15));
  CHECK(w.value()(1) == doctest::Approx(-1.6).epsilon(1e-15));
}
