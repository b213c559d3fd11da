#pragma once
// The damaged copies of a file that every reader must refuse: the file cut
// at each byte, and the file with any one byte flipped.
//
//   for_each_truncation(bytes, [&](std::size_t n, std::string_view cut) { CAPTURE(n); ... });

#include <cstddef>
#include <string>
#include <string_view>

namespace xg::testing {

// Calls check(n, the first n bytes) for every n shorter than the whole.
template <class Check>
void for_each_truncation(std::string_view bytes, Check&& check) {
  for (std::size_t n = 0; n < bytes.size(); ++n) check(n, bytes.substr(0, n));
}

// Calls check(i, the bytes with byte i inverted) for every i.
template <class Check>
void for_each_flipped_byte(std::string_view bytes, Check&& check) {
  std::string damaged(bytes);
  for (std::size_t i = 0; i < damaged.size(); ++i) {
    damaged[i] = static_cast<char>(~bytes[i]);
    check(i, std::string_view(damaged));
    damaged[i] = bytes[i];
  }
}

}  // namespace xg::testing
