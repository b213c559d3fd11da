#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <stdexcept>
#include <xgrad/core/atomic_file.hpp>

namespace xg::io {

void write_file_atomically(const std::string& path, std::string_view bytes, const std::string& caller) {
  const std::string tmp = path + ".tmp";
  int fd = -1;
  auto fail = [&](const std::string& what, const std::string& file) {
    const std::string reason = std::strerror(errno);
    if (fd >= 0) ::close(fd);
    ::unlink(tmp.c_str());
    throw std::runtime_error(caller + ": cannot " + what + " '" + file + "': " + reason);
  };
  fd = ::open(tmp.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
  if (fd < 0) fail("open for writing", tmp);
  std::size_t written = 0;
  while (written < bytes.size()) {
    const ssize_t n = ::write(fd, bytes.data() + written, bytes.size() - written);
    if (n < 0) {
      if (errno == EINTR) continue;
      fail("write", tmp);
    }
    written += static_cast<std::size_t>(n);
  }
  if (::fsync(fd) != 0) fail("flush to disk", tmp);
  const int closed = ::close(fd);
  fd = -1;
  if (closed != 0) fail("close", tmp);
  if (::rename(tmp.c_str(), path.c_str()) != 0) fail("rename '" + tmp + "' to", path);
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
