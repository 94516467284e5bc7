// Bounded file reads under the sysroot, shared by every Linux backend.
#pragma once

#include <cstddef>
#include <filesystem>
#include <string>

#include <tl/expected.hpp>

#include "platform/env.h"
#include "platform/error.h"

namespace tlsdoctor::platform {

// Largest file a backend reads whole. The biggest legitimate input is a CA bundle
// (Debian's is about 220 KB with ~140 roots; bundles with every legacy root stay under 2 MB);
// anything past 16 MB is not a configuration file and is refused rather than read.
inline constexpr std::size_t kMaxConfigFileBytes = 16u * 1024u * 1024u;

// Reads `absolute` (mapped under env.sysroot) whole. Errors name the path as the user knows it.
tl::expected<std::string, Error> read_file(const Env& env, std::string_view absolute,
                                           std::size_t max_bytes = kMaxConfigFileBytes);

// Same, for a path that is already under the sysroot (e.g. found by listing a directory).
tl::expected<std::string, Error> read_file_at(const Env& env, const std::filesystem::path& path,
                                              std::size_t max_bytes = kMaxConfigFileBytes);

}  // namespace tlsdoctor::platform
