#include <xgrad/datasets/data_files.hpp>

#include <cstdlib>
#include <filesystem>
#include <fstream>

#include <xgrad/core/atomic_file.hpp>
#include <xgrad/datasets/data_error.hpp>

namespace xg::datasets {

std::vector<std::string> data_search_path(const std::string& directory) {
  if (!directory.empty()) return {directory};
  std::vector<std::string> dirs;
  if (const char* env = std::getenv("XGRAD_DATA"); env && *env) dirs.emplace_back(env);
  dirs.emplace_back(XGRAD_DEFAULT_DATA_DIR);
  dirs.emplace_back(XGRAD_INSTALLED_DATA_DIR);
  return dirs;
}

std::string find_data_file(const std::string& file_name, const std::string& directory) {
  if (!directory.empty()) {
    const std::filesystem::path candidate = std::filesystem::path(directory) / file_name;
    std::error_code ec;
    const auto status = std::filesystem::status(candidate, ec);
    if (!std::filesystem::exists(status))
      throw DataError(file_name + ": not found in the given folder " + directory + " (looked for " +
                      candidate.string() + "; the bundled data is used only when no folder is given)");
    if (!std::filesystem::is_regular_file(status))
      throw DataError(candidate.string() + ": is not a regular file (a directory or a device) in the given folder " +
                      directory);
    if (!std::ifstream(candidate, std::ios::binary).is_open())
      throw DataError(candidate.string() + ": cannot be read (permissions?) in the given folder " + directory);
    return candidate.string();
  }
  std::string looked;
  for (const auto& dir : data_search_path(directory)) {
    const std::filesystem::path candidate = std::filesystem::path(dir) / file_name;
    std::error_code ec;
    if (std::filesystem::is_regular_file(candidate, ec)) return candidate.string();
    looked += (looked.empty() ? "" : ", ") + candidate.string();
  }
  throw DataError(file_name + ": not found; looked in " + looked + " (set XGRAD_DATA to the directory that holds it)");
}

std::string read_text_file(const std::string& path) {
  std::error_code ec;
  if (!std::filesystem::is_regular_file(path, ec)) throw DataError(path + ": cannot be opened as a file");
  try {
    return io::read_file(path, "read_text_file");
  } catch (const std::runtime_error& e) {
    throw DataError(e.what());
  }
}

}  // namespace xg::datasets
