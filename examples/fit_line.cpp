// Fits y = 3x - 2 with a weight and a bias, autograd and plain gradient descent.
#include <cstdio>

#include <xgrad/xgrad.hpp>

int main() {
  xg::manual_seed(0);
  auto x = xg::rand({64, 1});
  auto y = x * 3.0f - 2.0f + xg::randn({64, 1}) * 0.05f;
  auto w = xg::zeros({1, 1}, true);
  auto b = xg::zeros({1}, true);
  float loss_value = 0;
  for (int step = 0; step <= 300; ++step) {
    auto err = xg::matmul(x, w) + b - y;
    auto loss = xg::sum(err * err) / 64.0f;
    loss.backward();
    {
      xg::no_grad guard;
      w.value() -= 0.5f * w.grad();
      b.value() -= 0.5f * b.grad();
    }
    w.zero_grad();
    b.zero_grad();
    loss_value = loss.item();
    if (step % 50 == 0) std::printf("step %3d  loss %.6f\n", step, loss_value);
  }
  std::printf("fit_line w=%.4f b=%.4f loss=%.6f\n", w.item(), b.item(), loss_value);
  return loss_value < 0.01 ? 0 : 1;
}
