#pragma once
// Whole-file writes that a crash cannot leave half done, and whole-file reads,
// for model files, optimizer state and checkpoints.

#include <string>
#include <string_view>

namespace xg::io {

// Writes `bytes` to `path.tmp` in the same directory, flushes it to disk
// (fsync), renames it over `path` and flushes the directory, so a crash at any
// moment leaves the old file or the new one, never half of one. Throws
// std::runtime_error starting with `caller` and naming the file and the
// system's reason.
void write_file_atomically(const std::string& path, std::string_view bytes, const std::string& caller);

// The whole content of `path`; throws std::runtime_error as above.
std::string read_file(const std::string& path, const std::string& caller);

}  // namespace xg::io
