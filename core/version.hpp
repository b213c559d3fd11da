#pragma once
// The library's version, from CMake's project() (the one place it is set):
// what checkpoints record and what a bug report quotes.

namespace xg {

// "MAJOR.MINOR.PATCH" of the compiled library, which may differ from the
// headers a program was compiled against if the two were mixed up.
const char* version();

}  // namespace xg
