#include <doctest/doctest.h>
#include <unistd.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <string>
#include <vector>
#include <xgrad/core/atomic_file.hpp>

#include "exception_message.hpp"

namespace {

namespace fs = std::filesystem;
using xg::testing::contains;
using xg::testing::message_of;

// A folder of its own for each test, so parallel ctest runs do not collide
// and leftover temporaries can be counted.
fs::path fresh_folder(const std::string& stem) {
  const fs::path dir = fs::temp_directory_path() / ("xgrad_atomic_" + stem + "_" + std::to_string(::getpid()));
  fs::remove_all(dir);
  fs::create_directories(dir);
  return dir;
}

std::string content_of(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

void write(const fs::path& path, const std::string& text) { std::ofstream(path, std::ios::binary) << text; }

std::vector<std::string> entries_of(const fs::path& dir) {
  std::vector<std::string> names;
  for (const auto& e : fs::directory_iterator(dir)) names.push_back(e.path().filename().string());
  std::sort(names.begin(), names.end());
  return names;
}

}  // namespace

TEST_CASE("atomic write: a symbolic link planted at PATH.tmp is neither followed nor replaced") {
  const fs::path dir = fresh_folder("planted_tmp");
  const fs::path target = dir / "victim.txt";
  write(target, "precious");
  const fs::path path = dir / "run.ckpt";
  fs::create_symlink(target, dir / "run.ckpt.tmp");

  xg::io::write_file_atomically(path.string(), "new checkpoint", "test");

  CHECK(content_of(target) == "precious");
  CHECK(fs::is_symlink(dir / "run.ckpt.tmp"));
  CHECK(fs::is_regular_file(fs::symlink_status(path)));
  CHECK(content_of(path) == "new checkpoint");
  // Nothing else is left in the folder: no temporary survives a success.
  CHECK(entries_of(dir) == std::vector<std::string>{"run.ckpt", "run.ckpt.tmp", "victim.txt"});
  fs::remove_all(dir);
}

TEST_CASE("atomic write: a symbolic link at PATH is replaced by the file, its target left alone") {
  const fs::path dir = fresh_folder("link_at_path");
  const fs::path target = dir / "elsewhere.txt";
  write(target, "untouched");
  const fs::path path = dir / "model.xga";
  fs::create_symlink(target, path);

  xg::io::write_file_atomically(path.string(), "model bytes", "test");

  CHECK(content_of(target) == "untouched");
  CHECK(fs::is_regular_file(fs::symlink_status(path)));
  CHECK(content_of(path) == "model bytes");
  CHECK(entries_of(dir) == std::vector<std::string>{"elsewhere.txt", "model.xga"});
  fs::remove_all(dir);
}

TEST_CASE("atomic write: two writes use different temporaries and the last one wins") {
  const fs::path dir = fresh_folder("twice");
  const fs::path path = dir / "state.bin";
  xg::io::write_file_atomically(path.string(), "first", "test");
  xg::io::write_file_atomically(path.string(), "second", "test");
  CHECK(content_of(path) == "second");
  CHECK(entries_of(dir) == std::vector<std::string>{"state.bin"});
  fs::remove_all(dir);
}

TEST_CASE("atomic write: a failed rename removes the temporary and keeps what was at PATH") {
  const fs::path dir = fresh_folder("failed_rename");
  // A non-empty directory at PATH: rename(2) cannot replace it.
  const fs::path path = dir / "out";
  fs::create_directories(path / "inside");

  const std::string msg =
      message_of<std::runtime_error>([&] { xg::io::write_file_atomically(path.string(), "bytes", "save_checkpoint"); });
  CHECK(contains(msg, "save_checkpoint: cannot rename '" + path.string() + ".tmp."));
  CHECK(contains(msg, "' to '" + path.string() + "': "));
  CHECK(fs::is_directory(path / "inside"));
  CHECK(entries_of(dir) == std::vector<std::string>{"out"});
  fs::remove_all(dir);
}

TEST_CASE("atomic write: a folder that does not exist is named with the system's reason") {
  const fs::path dir = fresh_folder("missing_folder");
  const std::string path = (dir / "no_such_dir" / "model.xga").string();
  const std::string msg =
      message_of<std::runtime_error>([&] { xg::io::write_file_atomically(path, "bytes", "Module::save"); });
  CHECK(contains(msg, "Module::save: cannot create the temporary file '" + path + ".tmp."));
  CHECK(contains(msg, "': No such file or directory"));
  CHECK(entries_of(dir).empty());
  fs::remove_all(dir);
}
