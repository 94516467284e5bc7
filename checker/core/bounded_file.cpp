// Whole-file reads with a size check first, so that an oversized file is refused before it is read.
#include "core/bounded_file.h"

#include <fstream>
#include <iterator>

namespace tlsdoctor {

tl::expected<std::string, Error> read_bounded_file(const std::filesystem::path& path, std::uintmax_t max_bytes,
                                                   std::string_view what) {
  std::error_code error;
  const auto size = std::filesystem::file_size(path, error);
  if (error) return tl::unexpected(Error{path.string(), "cannot read it: " + error.message()});
  if (size > max_bytes) {
    return tl::unexpected(
        Error{path.string(), "too large for " + std::string(what) + " (" + std::to_string(size) + " bytes)"});
  }
  std::ifstream in(path, std::ios::binary);
  std::string content((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  if (in.bad() || !in.is_open()) return tl::unexpected(Error{path.string(), "cannot read it"});
  return content;
}

}  // namespace tlsdoctor
