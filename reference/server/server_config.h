// tlsdoctor-reference's configuration file (JSON), merged with its command-line flags.
#pragma once

#include <cstddef>
#include <filesystem>
#include <optional>
#include <string>
#include <vector>

#include <tl/expected.hpp>

#include "core/error.h"

namespace tlsdoctor::reference {

// What `serve` needs, from --config and flags (a flag given on the command line wins; --listen
// on the command line replaces the file's list).
struct ServeConfig {
  std::vector<std::string> listen;
  std::string cert;
  std::string key;
  std::string signing_key;
  std::size_t threads = 2;
};

// A configuration file larger than this is a mistake, not a configuration.
inline constexpr std::uintmax_t kMaxConfigBytes = 64 * 1024;
inline constexpr std::size_t kMaxServerThreads = 64;

// Reads a JSON object with the keys "listen" (array of ADDRESS:PORT), "cert", "key",
// "signing_key" (paths; relative ones are taken from the file's directory) and "threads".
// Unknown keys are errors (a misspelt key would otherwise be silently ignored); every error
// names the file and the key.
tl::expected<ServeConfig, Error> load_serve_config(const std::filesystem::path& path);

// Fills what `flags` left empty from `file` and checks that everything needed is there.
tl::expected<ServeConfig, Error> merge_serve_config(const std::optional<ServeConfig>& file, const ServeConfig& flags,
                                                    bool threads_given);

}  // namespace tlsdoctor::reference
