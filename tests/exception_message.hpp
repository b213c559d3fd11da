#pragma once
// What the tests ask of a thrown exception: its message, to compare with the
// expected text or search for the names it must hold.

#include <string>

namespace xg::testing {

// The what() of the E that f throws, or a text no expected message contains.
template <class E, class F>
std::string message_of(F&& f) {
  try {
    f();
  } catch (const E& e) {
    return e.what();
  }
  return "<no exception of the expected type>";
}

inline bool contains(const std::string& haystack, const std::string& needle) {
  return haystack.find(needle) != std::string::npos;
}

}  // namespace xg::testing
