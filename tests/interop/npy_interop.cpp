// xgrad's side of tests/interop/numpy_check.py: writes .npy and .npz files
// for numpy.load, or reads those numpy.save and numpy.savez wrote, checking
// every value against the formulas both sides share:
// matrix (3, 5) float32 (k - 3) / 8 for flat index k, vector (4) 0.1 k.
//   npy_interop write DIR | read DIR
#include <cstdio>
#include <map>
#include <string>

#include <xgrad/xgrad.hpp>

namespace {

xg::Array<float> matrix() {
  auto m = xg::Array<float>::from_shape({3, 5});
  for (std::size_t k = 0; k < m.size(); ++k) m.data()[k] = (static_cast<float>(k) - 3) / 8;
  return m;
}

xg::Array<double> vector() {
  auto v = xg::Array<double>::from_shape({4});
  for (std::size_t k = 0; k < v.size(); ++k) v.data()[k] = static_cast<double>(k) * 0.1;
  return v;
}

template <class A, class B>
void expect_equal(const A& got, const B& expected, const std::string& what) {
  if (got != expected) throw std::runtime_error(what + ": the values differ from the formula");
}

}  // namespace

int main(int argc, char** argv) try {
  const std::string mode = argc == 3 ? argv[1] : "", dir = argc == 3 ? argv[2] : "";
  if (mode == "write") {
    xg::save_npy(dir + "/xgrad_matrix.npy", matrix());
    xg::save_npy(dir + "/xgrad_vector.npy", vector());
    xg::save_npz(dir + "/xgrad_arrays.npz",
                 std::map<std::string, xg::Array<float>>{{"matrix", matrix()},
                                                         {"vector", xg::Array<float>(xt::cast<float>(vector()))}});
  } else if (mode == "read") {
    expect_equal(xg::load_npy<float>(dir + "/numpy_matrix.npy"), matrix(), "numpy_matrix.npy");
    expect_equal(xg::load_npy<float>(dir + "/numpy_fortran.npy"), matrix(), "numpy_fortran.npy");
    const auto arrays = xg::load_npz<float>(dir + "/numpy_arrays.npz");
    expect_equal(arrays.at("matrix"), matrix(), "numpy_arrays.npz matrix");
    expect_equal(arrays.at("vector"), xg::Array<float>(xt::cast<float>(vector())), "numpy_arrays.npz vector");
    std::printf("xgrad reads numpy's .npy (C and Fortran order) and .npz files, every value as written\n");
  } else {
    std::fprintf(stderr, "usage: npy_interop write DIR | read DIR\n");
    return 2;
  }
} catch (const std::exception& e) {
  std::fprintf(stderr, "npy_interop: %s\n", e.what());
  return 1;
}
