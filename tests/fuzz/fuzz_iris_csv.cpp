// libFuzzer target for parse_iris_csv: any bytes either give a consistent
// data set or throw DataError.

#include <cstddef>
#include <cstdint>
#include <string_view>

#include <xgrad/datasets/data_error.hpp>
#include <xgrad/datasets/loaders.hpp>

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view content(reinterpret_cast<const char*>(data), size);
  xg::datasets::Dataset parsed;
  try {
    parsed = xg::datasets::parse_iris_csv(content, "fuzz.csv");
  } catch (const xg::datasets::DataError&) {
    return 0;
  }
  if (parsed.features.dimension() != 2 || parsed.features.shape()[0] != parsed.labels.size()) __builtin_trap();
  for (const std::size_t label : parsed.labels)
    if (label >= parsed.num_classes()) __builtin_trap();
  return 0;
}
