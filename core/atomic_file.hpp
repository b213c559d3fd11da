#pragma once
// Whole-file writes that a crash cannot leave half done, and whole-file reads,
// for model files, optimizer state and checkpoints.

#include <string>
#include <string_view>

namespace xg::io {

// Writes `bytes` to a new temporary file `path.tmp.<12 random characters>`
// in the same directory (created with O_EXCL | O_NOFOLLOW: never an existing
// file or a symbolic link), flushes it to disk (fsync), renames it over
// `path` and flushes the directory, so a crash at any moment leaves the old
// file or the new one, never half of one. A symbolic link at `path` is
// replaced by the new regular file, as rename(2) does; its target is not
// written. On failure the temporary is removed and std::runtime_error,
// starting with `caller`, names the file and the system's reason.
void write_file_atomically(const std::string& path, std::string_view bytes, const std::string& caller);

// The whole content of `path`; throws std::runtime_error as above.
std::string read_file(const std::string& path, const std::string& caller);

}  // namespace xg::io
