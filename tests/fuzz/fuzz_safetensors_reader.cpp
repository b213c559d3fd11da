// libFuzzer target for the safetensors reader: any bytes either give tensors
// whose values are finite, or throw io::FormatError; loading them into a
// model either succeeds or throws (FormatError, invalid_argument for names,
// ShapeError for shapes) and then leaves the model as it was.

#include <cmath>
#include <cstddef>
#include <cstdint>
#include <stdexcept>
#include <string_view>
#include <vector>

#include <xgrad/core/archive.hpp>
#include <xgrad/nn/activation.hpp>
#include <xgrad/nn/linear.hpp>
#include <xgrad/nn/safetensors.hpp>
#include <xgrad/nn/sequential.hpp>

namespace {

std::vector<float> snapshot(const xg::nn::Module& model) {
  std::vector<float> out;
  for (const auto& [name, p] : model.named_parameters()) out.insert(out.end(), p.value().begin(), p.value().end());
  return out;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view bytes(reinterpret_cast<const char*>(data), size);
  try {
    for (const auto& [name, value] : xg::nn::read_safetensors_bytes(bytes, "fuzz"))
      for (const float v : value)
        if (!std::isfinite(v)) __builtin_trap();
  } catch (const xg::io::FormatError&) {
  }
  static xg::nn::Sequential model{xg::nn::Linear(3, 4), xg::nn::Tanh(), xg::nn::Linear(4, 2)};
  const auto before = snapshot(model);
  for (const bool strict : {true, false}) {
    try {
      xg::nn::load_safetensors_bytes(model, bytes, "fuzz", {.strict = strict});
      return 0;  // loaded: the model now holds the file's values
    } catch (const xg::io::FormatError&) {
    } catch (const std::invalid_argument&) {  // names; xg::ShapeError (shapes) derives from it
    }
    if (snapshot(model) != before) __builtin_trap();
  }
  return 0;
}
