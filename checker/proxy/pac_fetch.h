// Downloads a PAC file (http, https or file URL) with libcurl, bounded in time and size.
#pragma once

#include <cstddef>
#include <filesystem>
#include <string>
#include <string_view>
#include <vector>

#include <tl/expected.hpp>

#include "core/deadline.h"
#include "proxy/pac_error.h"

namespace tlsdoctor::proxy {

// Real PAC files are a few KB; the largest corporate ones, with long host lists, reach a few
// hundred KB. Past 1 MiB it is not a PAC file (a captive portal page, a misdirected download).
inline constexpr std::size_t kMaxPacBytes = 1024 * 1024;

// Enough for http -> https and a load-balancer hop; more than that is a redirect loop.
inline constexpr long kMaxPacRedirects = 5;

struct PacFetchOptions {
  // libcurl CONNECT_TO entries, "HOST:PORT:CONNECT-TO-HOST:CONNECT-TO-PORT": send a named host
  // to another address without DNS (used by --resolve-style overrides and by tests).
  std::vector<std::string> connect_to;
  // file:// PAC URLs are read under this directory (the sysroot), so that a fixture tree can
  // hold the PAC file its settings name. Empty or "/" reads the path as given.
  std::filesystem::path file_root;
};

// The file's bytes. Never through a proxy: browsers fetch the PAC file directly, and the
// configured proxy may be the very thing that is broken. Connect and total time are bounded by
// `deadline`. Error messages name the URL with any credentials redacted.
tl::expected<std::string, PacError> fetch_pac(std::string_view url, const Deadline& deadline,
                                              const PacFetchOptions& options = {});

}  // namespace tlsdoctor::proxy
