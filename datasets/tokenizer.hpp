#pragma once
// Splits text into lowercase words: a token is a maximal run of ASCII letters
// and digits, with every byte >= 0x80 counted as a letter so that UTF-8 words
// such as "café" stay whole. ASCII letters are lowercased; other bytes are
// kept as they are. Everything else (spaces, punctuation, controls)
// separates tokens: "Don't stop!" gives "don", "t", "stop".

#include <string>
#include <string_view>
#include <vector>

namespace xg::datasets {

inline bool is_token_byte(unsigned char c) {
  return c >= 0x80 || (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}

// Calls `f(token)` for each token in order. The view is valid only during the
// call; the buffer behind it is reused, so tokenizing allocates nothing per
// token of ordinary length.
template <class F>
void for_each_token(std::string_view text, F&& f) {
  std::string token;
  for (std::size_t i = 0; i < text.size();) {
    if (!is_token_byte(static_cast<unsigned char>(text[i]))) {
      ++i;
      continue;
    }
    token.clear();
    for (; i < text.size() && is_token_byte(static_cast<unsigned char>(text[i])); ++i) {
      const char c = text[i];
      token.push_back(c >= 'A' && c <= 'Z' ? static_cast<char>(c - 'A' + 'a') : c);
    }
    f(std::string_view(token));
  }
}

std::vector<std::string> tokenize(std::string_view text);

}  // namespace xg::datasets
