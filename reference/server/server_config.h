// tlsdoctor-reference's configuration file (JSON), merged with its command-line flags.
#pragma once

#include <cstddef>
#include <cstdint>
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
  // POST /v1/observe: offered unless "observe": false; the SSRF guard's allow list, the
  // target ports (empty: kDefaultObservePorts) and the anchors it verifies targets against
  // (empty: the system store).
  bool observe = true;
  std::vector<std::string> allow_cidr;
  std::vector<std::uint16_t> observe_ports;
  std::string ca_file;
  bool proxy_protocol = false;
  std::vector<std::string> captive_listen;
  bool log_requests = false;
};

// Which flags the command line gave (a boolean flag that was not given leaves the file's value).
struct GivenFlags {
  bool threads = false;
  bool no_observe = false;
  bool proxy_protocol = false;
  bool log_requests = false;
};

// A configuration file larger than this is a mistake, not a configuration.
inline constexpr std::uintmax_t kMaxConfigBytes = 64 * 1024;
inline constexpr std::size_t kMaxServerThreads = 64;

// Reads a JSON object with the keys "listen" (array of ADDRESS:PORT), "cert", "key",
// "signing_key", "ca_file" (paths; relative ones are taken from the file's directory),
// "threads", "observe", "allow_cidr" (array of CIDRs), "observe_ports" (array of ports),
// "proxy_protocol", "captive_listen" (array of ADDRESS:PORT) and "log_requests".
// Unknown keys are errors (a misspelt key would otherwise be silently ignored); every error
// names the file and the key.
tl::expected<ServeConfig, Error> load_serve_config(const std::filesystem::path& path);

// Fills what `flags` left empty from `file` and checks that everything needed is there.
// Lists from the command line replace the file's; CIDRs are checked here.
tl::expected<ServeConfig, Error> merge_serve_config(const std::optional<ServeConfig>& file, const ServeConfig& flags,
                                                    const GivenFlags& given);

}  // namespace tlsdoctor::reference
