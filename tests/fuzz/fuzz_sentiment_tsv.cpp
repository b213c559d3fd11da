// libFuzzer target for parse_sentiment_tsv: any bytes either give texts with
// a source and a label 0 or 1 each, or throw DataError.

#include <cstddef>
#include <cstdint>
#include <string_view>

#include <xgrad/datasets/data_error.hpp>
#include <xgrad/datasets/loaders.hpp>

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view content(reinterpret_cast<const char*>(data), size);
  xg::datasets::TextDataset parsed;
  try {
    parsed = xg::datasets::parse_sentiment_tsv(content, "fuzz.tsv");
  } catch (const xg::datasets::DataError&) {
    return 0;
  }
  if (parsed.labels.size() != parsed.size() || parsed.sources.size() != parsed.size() || parsed.num_classes() != 2)
    __builtin_trap();
  for (const std::size_t label : parsed.labels)
    if (label > 1) __builtin_trap();
  for (const auto& source : parsed.sources)
    if (source.empty()) __builtin_trap();
  return 0;
}
