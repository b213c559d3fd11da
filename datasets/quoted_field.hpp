#pragma once
// A field of a data file as it may be shown in a message: bounded, printable.

#include <algorithm>
#include <string>
#include <string_view>

namespace xg::datasets::detail {

inline std::string quoted(std::string_view field) {
  constexpr std::size_t limit = 32;
  std::string out = "'";
  for (std::size_t i = 0; i < std::min(limit, field.size()); ++i) {
    const auto c = static_cast<unsigned char>(field[i]);
    out += c >= 0x20 && c < 0x7f ? static_cast<char>(c) : '?';
  }
  return out + (field.size() > limit ? "...'" : "'");
}

}  // namespace xg::datasets::detail
