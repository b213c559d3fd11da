// The smallest user program: one include, one link, a gradient checked by hand.
#include <cmath>
#include <cstdio>

#include <xgrad/xgrad.hpp>

int main() {
  auto x = xg::tensor({1.0f, 2.0f, 3.0f}, true);
  auto loss = xg::sum(x * x);  // d/dx = 2x
  loss.backward();
  const auto& g = x.grad();
  const bool ok = loss.item() == 14.0f && g(0) == 2.0f && g(1) == 4.0f && g(2) == 6.0f;
  std::printf("consumer: loss=%g grad=(%g, %g, %g) %s\n", loss.item(), g(0), g(1), g(2), ok ? "ok" : "WRONG");
  return ok ? 0 : 1;
}
