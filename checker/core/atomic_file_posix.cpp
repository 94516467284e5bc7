// Atomic file replacement on POSIX: mkstemp in the target directory, fsync, rename.
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <filesystem>

#include "core/atomic_file.h"

namespace tlsdoctor {

tl::expected<void, Error> write_file_atomically(const std::string& path, std::string_view bytes, unsigned mode) {
  const std::filesystem::path target(path);
  const auto dir = target.has_parent_path() ? target.parent_path() : std::filesystem::path(".");
  std::string tmpl = (dir / ("." + target.filename().string() + ".tmp-XXXXXX")).string();
  const int fd = ::mkstemp(tmpl.data());
  if (fd < 0) {
    return tl::unexpected(Error{path, std::string("cannot create a file there: ") + std::strerror(errno)});
  }
  auto fail = [&](const char* what) {
    const int err = errno;
    ::close(fd);
    ::unlink(tmpl.c_str());
    return tl::unexpected(Error{path, std::string(what) + ": " + std::strerror(err)});
  };
  std::size_t written = 0;
  while (written < bytes.size()) {
    const ssize_t n = ::write(fd, bytes.data() + written, bytes.size() - written);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) return fail("write failed");
    written += static_cast<std::size_t>(n);
  }
  // mkstemp creates 0600; most files written here are ordinary files the user may share.
  if (::fchmod(fd, static_cast<mode_t>(mode)) != 0) return fail("cannot set permissions");
  if (::fsync(fd) != 0) return fail("cannot flush to disk");
  if (::close(fd) != 0) {
    const int err = errno;
    ::unlink(tmpl.c_str());
    return tl::unexpected(Error{path, std::string("close failed: ") + std::strerror(err)});
  }
  if (::rename(tmpl.c_str(), path.c_str()) != 0) {
    const int err = errno;
    ::unlink(tmpl.c_str());
    return tl::unexpected(Error{path, std::string("cannot replace the file: ") + std::strerror(err)});
  }
  return {};
}

}  // namespace tlsdoctor
