// Writing the rendering: to standard output, or to a file atomically (temp file + rename).
#pragma once

#include <string>
#include <string_view>

#include <tl/expected.hpp>

#include "core/error.h"

namespace tlsdoctor::cli {

// Writes `bytes` to a temporary file beside `path`, flushes it to disk, then renames it over
// `path`, so readers see the old file or the whole new one, never a partial one. On any error
// the temporary file is removed and the error names `path`.
tl::expected<void, Error> write_file_atomically(const std::string& path, std::string_view bytes);

}  // namespace tlsdoctor::cli
