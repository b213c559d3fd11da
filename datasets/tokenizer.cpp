#include <xgrad/datasets/tokenizer.hpp>

namespace xg::datasets {

std::vector<std::string> tokenize(std::string_view text) {
  std::vector<std::string> tokens;
  for_each_token(text, [&](std::string_view token) { tokens.emplace_back(token); });
  return tokens;
}

}  // namespace xg::datasets
