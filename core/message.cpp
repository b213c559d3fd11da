#include <xgrad/core/message.hpp>

#include <cstdio>

namespace xg {

std::string quoted_text(std::string_view text) {
  static constexpr char hex[] = "0123456789abcdef";
  const std::string_view shown = text.substr(0, quoted_text_max_bytes);
  std::string out = "'";
  for (char c : shown) {
    const auto u = static_cast<unsigned char>(c);
    // The backslash and the quote are escaped too, so that "\x1b" always
    // means the byte and the closing quote always ends the text.
    if (u >= 0x20 && u < 0x7F && c != '\\' && c != '\'') {
      out += c;
    } else {
      out += "\\x";
      out += hex[u >> 4];
      out += hex[u & 0xF];
    }
  }
  out += '\'';
  if (text.size() > shown.size()) out += "... (" + std::to_string(text.size()) + " bytes)";
  return out;
}

std::string number_text(double value) {
  char buffer[32];
  std::snprintf(buffer, sizeof buffer, "%g", value);
  return buffer;
}

}  // namespace xg
