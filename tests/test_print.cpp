// std::cout << t against the strings PyTorch prints. Each expected string
// follows torch/_tensor_str.py's rules with the default print options, and
// those marked "torch docs" are copied from PyTorch's documentation; the only
// spellings of our own are true/false for Python's True/False.

#include <doctest/doctest.h>

#include <cmath>
#include <limits>
#include <sstream>
#include <string>

#include <xgrad/xgrad.hpp>

namespace {

template <class S>
std::string printed(const xg::BasicTensor<S>& t) {
  std::ostringstream out;
  out << t;
  return out.str();
}

}  // namespace

TEST_CASE("print: matrices, fixed point with four digits, requires_grad") {
  auto t = xg::tensor({{1.5, 2.0}, {3.0, 4.0}}, true);
  CHECK(printed(t) == "tensor([[1.5000, 2.0000],\n        [3.0000, 4.0000]], requires_grad=true)");
  // torch docs (torch.tensor): whole numbers print as "1." and align on the sign.
  CHECK(printed(xg::tensor({{1.0, -1.0}, {1.0, -1.0}})) == "tensor([[ 1., -1.],\n        [ 1., -1.]])");
  // torch docs (torch.zeros).
  CHECK(printed(xg::zeros({2, 3})) == "tensor([[0., 0., 0.],\n        [0., 0., 0.]])");
  // torch docs (torch.set_printoptions): precision 4 rounds.
  CHECK(printed(xg::tensor(xg::Array<float>{1.12345f})) == "tensor([1.1235])");
}

TEST_CASE("print: scalars, float64, empty tensors, NaN and infinities, grad_fn") {
  CHECK(printed(xg::scalar_tensor(3.5f)) == "tensor(3.5000)");
  CHECK(printed(xg::scalar_tensor(2.0f)) == "tensor(2.)");
  CHECK(printed(xg::tensor(xg::Array<double>{1, 2})) == "tensor([1., 2.], dtype=torch.float64)");
  CHECK(printed(xg::zeros({0})) == "tensor([])");
  CHECK(printed(xg::zeros({0, 3})) == "tensor([], size=(0, 3))");
  const float nan = std::numeric_limits<float>::quiet_NaN(), inf = std::numeric_limits<float>::infinity();
  CHECK(printed(xg::tensor(xg::Array<float>{1, nan, inf, -inf})) == "tensor([1., nan, inf, -inf])");
  auto x = xg::tensor(xg::Array<float>{0, 0}, true);
  CHECK(printed(xg::exp(x)) == "tensor([1., 1.], grad_fn=<exp>)");
  CHECK(printed(xg::Tensor()) == "tensor(undefined)");
}

TEST_CASE("print: scientific notation when the magnitudes span more than 1000 or fall outside 1e-4 to 1e8") {
  CHECK(printed(xg::tensor(xg::Array<float>{1e-5f, 1.0f})) == "tensor([1.0000e-05, 1.0000e+00])");
  CHECK(printed(xg::tensor(xg::Array<double>{1.0, 2000.0})) == "tensor([1.0000e+00, 2.0000e+03], dtype=torch.float64)");
  CHECK(printed(xg::tensor(xg::Array<double>{1e9, 2e9})) == "tensor([1.0000e+09, 2.0000e+09], dtype=torch.float64)");
  CHECK(printed(xg::tensor(xg::Array<float>{0.5f, -100.25f})) == "tensor([   0.5000, -100.2500])");
}

TEST_CASE("print: 3-D tensors separate their matrices by a blank line") {
  CHECK(printed(xg::zeros({2, 2, 2})) ==
        "tensor([[[0., 0.],\n"
        "         [0., 0.]],\n"
        "\n"
        "        [[0., 0.],\n"
        "         [0., 0.]]])");
}

TEST_CASE("print: long rows wrap at 80 columns, and a suffix that does not fit goes on its own line") {
  auto row = xg::arange(20) + 0.5f;
  CHECK(printed(row) ==
        "tensor([ 0.5000,  1.5000,  2.5000,  3.5000,  4.5000,  5.5000,  6.5000,  7.5000,\n"
        "         8.5000,  9.5000, 10.5000, 11.5000, 12.5000, 13.5000, 14.5000, 15.5000,\n"
        "        16.5000, 17.5000, 18.5000, 19.5000])");
  auto eight = (xg::arange(8) + 10.5f).detach().requires_grad_();
  CHECK(printed(eight) ==
        "tensor([10.5000, 11.5000, 12.5000, 13.5000, 14.5000, 15.5000, 16.5000, 17.5000],\n"
        "       requires_grad=true)");
}

TEST_CASE("print: past 1000 elements only the first and last 3 of each dimension, around ...") {
  CHECK(printed(xg::arange(2000)) ==
        "tensor([0.0000e+00, 1.0000e+00, 2.0000e+00,  ..., 1.9970e+03, 1.9980e+03,\n"
        "        1.9990e+03])");
  CHECK(printed(xg::ones({40, 40})) ==
        "tensor([[1., 1., 1.,  ..., 1., 1., 1.],\n"
        "        [1., 1., 1.,  ..., 1., 1., 1.],\n"
        "        [1., 1., 1.,  ..., 1., 1., 1.],\n"
        "        ...,\n"
        "        [1., 1., 1.,  ..., 1., 1., 1.],\n"
        "        [1., 1., 1.,  ..., 1., 1., 1.],\n"
        "        [1., 1., 1.,  ..., 1., 1., 1.]])");
  // Exactly 1000 elements are printed whole.
  const std::string whole = printed(xg::zeros({1000}));
  CHECK(whole.find("...") == std::string::npos);
}
