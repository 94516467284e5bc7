// Reading a whole file the user named (a key, a PEM, a config, a snapshot) with a size cap, errors naming the path.
#pragma once

#include <cstdint>
#include <filesystem>
#include <string>
#include <string_view>

#include <tl/expected.hpp>

#include "core/error.h"

namespace tlsdoctor {

// The file's bytes, or an Error whose input is the path: it cannot be read, or it is larger
// than `max_bytes` ("too large for <what>", so a 2 GB file named by mistake is never read).
tl::expected<std::string, Error> read_bounded_file(const std::filesystem::path& path, std::uintmax_t max_bytes,
                                                   std::string_view what);

}  // namespace tlsdoctor
