// Saves Sequential(Linear(3, 4), Tanh(), Linear(4, 2)) with parameter t's
// flat element k set to (k + 10 t - 7) / 16 (exact in float32) as a
// safetensors file, for tests/interop/safetensors_fixture.py to read back and check.
//   write_safetensors_model OUT
#include <cstdio>

#include <xgrad/xgrad.hpp>

int main(int argc, char** argv) try {
  if (argc != 2) {
    std::fprintf(stderr, "usage: write_safetensors_model OUT\n");
    return 2;
  }
  xg::nn::Sequential model{xg::nn::Linear(3, 4), xg::nn::Tanh(), xg::nn::Linear(4, 2)};
  const auto params = model.named_parameters();
  for (std::size_t t = 0; t < params.size(); ++t) {
    auto& value = params[t].second.value();
    for (std::size_t k = 0; k < value.size(); ++k)
      value.data()[k] = static_cast<float>(static_cast<double>(k) + 10.0 * static_cast<double>(t) - 7.0) / 16.0f;
  }
  model.save_safetensors(argv[1]);
} catch (const std::exception& e) {
  std::fprintf(stderr, "write_safetensors_model: %s\n", e.what());
  return 1;
}
