// Replacing a file atomically (temp file + rename): reports, snapshots and key files.
#pragma once

#include <string>
#include <string_view>

#include <tl/expected.hpp>

#include "core/error.h"

namespace tlsdoctor {

// Writes `bytes` to a temporary file beside `path`, flushes it to disk, then renames it over
// `path`, so readers see the old file or the whole new one, never a partial one. On any error
// the temporary file is removed and the error names `path`. The file gets `mode` (0644 for
// what users share; 0600 for secrets).
tl::expected<void, Error> write_file_atomically(const std::string& path, std::string_view bytes,
                                                unsigned mode = 0644);

}  // namespace tlsdoctor
