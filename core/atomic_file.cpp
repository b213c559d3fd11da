#include <fcntl.h>
#include <sys/random.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <stdexcept>
#include <xgrad/core/atomic_file.hpp>

namespace xg::io {

namespace {

// "PATH.tmp." and 12 random letters and digits: a name no one can plant a
// link at in advance.
std::string temporary_name(const std::string& path) {
  static constexpr char alphabet[] = "abcdefghijklmnopqrstuvwxyz0123456789";
  unsigned char random[12];
  std::size_t filled = 0;
  while (filled < sizeof random) {
    const ssize_t n = ::getrandom(random + filled, sizeof random - filled, 0);
    if (n < 0 && errno != EINTR) throw std::runtime_error(std::string("getrandom: ") + std::strerror(errno));
    if (n > 0) filled += static_cast<std::size_t>(n);
  }
  std::string name = path + ".tmp.";
  for (unsigned char r : random) name += alphabet[r % (sizeof alphabet - 1)];
  return name;
}

// Removes the temporary unless it was renamed into place, whichever way the
// write ends (a failed call, or an exception such as bad_alloc).
struct TemporaryFile {
  std::string name;
  int fd = -1;
  bool renamed = false;
  ~TemporaryFile() {
    if (fd >= 0) ::close(fd);
    if (!renamed && !name.empty()) ::unlink(name.c_str());
  }
};

}  // namespace

void write_file_atomically(const std::string& path, std::string_view bytes, const std::string& caller) {
  TemporaryFile tmp;
  auto fail = [&](const std::string& what, const std::string& file) {
    const std::string reason = std::strerror(errno);
    throw std::runtime_error(caller + ": cannot " + what + " '" + file + "': " + reason);
  };
  // O_EXCL fails on any existing name, a symbolic link included, so the
  // file opened is always one this call created; O_NOFOLLOW says so twice.
  for (int attempt = 0; tmp.fd < 0; ++attempt) {
    std::string name = temporary_name(path);
    tmp.fd = ::open(name.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0644);
    if (tmp.fd >= 0)
      tmp.name = std::move(name);
    else if (errno != EEXIST || attempt == 100)
      fail("create the temporary file", name);
  }
  std::size_t written = 0;
  while (written < bytes.size()) {
    const ssize_t n = ::write(tmp.fd, bytes.data() + written, bytes.size() - written);
    if (n < 0) {
      if (errno == EINTR) continue;
      fail("write", tmp.name);
    }
    written += static_cast<std::size_t>(n);
  }
  if (::fsync(tmp.fd) != 0) fail("flush to disk", tmp.name);
  const int closed = ::close(tmp.fd);
  tmp.fd = -1;
  if (closed != 0) fail("close", tmp.name);
  // rename replaces a symbolic link at `path` by the new file; it never
  // writes through the link to its target.
  if (::rename(tmp.name.c_str(), path.c_str()) != 0) fail("rename '" + tmp.name + "' to", path);
  tmp.renamed = true;
  // Makes the rename itself durable; a directory that cannot be opened
  // (e.g. no read permission) still holds the complete new file.
  const auto slash = path.find_last_of('/');
  const std::string dir = slash == std::string::npos ? "." : (slash == 0 ? "/" : path.substr(0, slash));
  const int dir_fd = ::open(dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (dir_fd >= 0) {
    ::fsync(dir_fd);
    ::close(dir_fd);
  }
}

std::string read_file(const std::string& path, const std::string& caller) {
  auto fail = [&](const char* what) {
    throw std::runtime_error(caller + ": cannot " + what + " '" + path + "': " + std::strerror(errno));
  };
  const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) fail("open");
  std::string bytes;
  char buffer[1 << 16];
  for (;;) {
    const ssize_t n = ::read(fd, buffer, sizeof buffer);
    if (n == 0) break;
    if (n < 0) {
      if (errno == EINTR) continue;
      const int saved = errno;
      ::close(fd);
      errno = saved;
      fail("read");
    }
    bytes.append(buffer, static_cast<std::size_t>(n));
  }
  ::close(fd);
  return bytes;
}

}  // namespace xg::io
