// Follows symbolic links without leaving the sysroot, so a fixture's absolute links stay inside it.
#pragma once

#include <string>
#include <string_view>

#include <tl/expected.hpp>

#include "platform/env.h"
#include "platform/error.h"

namespace tlsdoctor::platform {

// Links followed before giving up: the same limit as Linux's MAXSYMLINKS, so a loop is
// reported where the kernel would report ELOOP.
inline constexpr int kMaxSymlinkHops = 40;

struct ResolvedPath {
  std::string path;  // where the chain ends, as the user sees it ("/usr/share/zoneinfo/UTC")
  bool exists = false;  // false when a link in the chain points at nothing (a dangling link)
};

// Resolves every symbolic link in `absolute` the way the kernel would on the real machine,
// but inside env.sysroot: absolute targets restart at the sysroot and ".." never climbs above
// it. Errors: a loop or more than kMaxSymlinkHops links, an unreadable link.
tl::expected<ResolvedPath, Error> resolve_in_sysroot(const Env& env, std::string_view absolute);

}  // namespace tlsdoctor::platform
