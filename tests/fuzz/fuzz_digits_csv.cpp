// libFuzzer target for parse_digits_csv: any bytes either give 64 pixel
// counts in 0..16 and a digit label per row, or throw DataError.

#include <cstddef>
#include <cstdint>
#include <string_view>

#include <xgrad/datasets/data_error.hpp>
#include <xgrad/datasets/loaders.hpp>

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view content(reinterpret_cast<const char*>(data), size);
  xg::datasets::Dataset parsed;
  try {
    parsed = xg::datasets::parse_digits_csv(content, "fuzz.csv");
  } catch (const xg::datasets::DataError&) {
    return 0;
  }
  if (parsed.features.dimension() != 2 || parsed.features.shape()[0] != parsed.labels.size() ||
      parsed.num_features() != 64 || parsed.num_classes() != 10)
    __builtin_trap();
  for (const float pixel : parsed.features)
    if (!(pixel >= 0 && pixel <= 16)) __builtin_trap();
  for (const std::size_t label : parsed.labels)
    if (label >= 10) __builtin_trap();
  return 0;
}
