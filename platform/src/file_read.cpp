// Bounded whole-file reads under the sysroot.
#include "platform/file_read.h"

#include <cerrno>
#include <cstring>
#include <array>
#include <fstream>
#include <system_error>

namespace tlsdoctor::platform {

tl::expected<std::string, Error> read_file_at(const Env& env, const std::filesystem::path& path,
                                              std::size_t max_bytes) {
  const std::string shown = env.display(path);
  std::error_code ec;
  const auto status = std::filesystem::status(path, ec);
  if (ec || !std::filesystem::exists(status)) {
    return tl::unexpected(Error{shown, "no such file"});
  }
  if (std::filesystem::is_directory(status)) {
    return tl::unexpected(Error{shown, "is a directory, not a file"});
  }
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    return tl::unexpected(Error{shown, std::string("cannot open: ") + std::strerror(errno)});
  }
  std::string data;
  // Not zeroed: read() fills what gcount() reports, and zeroing 64 KiB per file cost more than
  // reading the ~300 small files of a trust store (10M of a full run's 282M instructions).
  std::array<char, 65536> chunk;
  while (in) {
    in.read(chunk.data(), static_cast<std::streamsize>(chunk.size()));
    const auto got = static_cast<std::size_t>(in.gcount());
    if (data.size() + got > max_bytes) {
      return tl::unexpected(
          Error{shown, "larger than " + std::to_string(max_bytes) + " bytes; not read"});
    }
    data.append(chunk.data(), got);
  }
  if (in.bad()) return tl::unexpected(Error{shown, "read error"});
  return data;
}

tl::expected<std::string, Error> read_file(const Env& env, std::string_view absolute,
                                           std::size_t max_bytes) {
  return read_file_at(env, env.path(absolute), max_bytes);
}

}  // namespace tlsdoctor::platform
