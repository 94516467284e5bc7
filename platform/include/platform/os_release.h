// os-release(5) text as its KEY=value pairs, quoting undone.
#pragma once

#include <functional>
#include <map>
#include <string>
#include <string_view>

namespace tlsdoctor::platform {

// Each "KEY=value" line (blank lines and '#' comments skipped, surrounding blanks trimmed), the
// value unquoted the way a shell would: '...' literally, "..." and bare text with backslash
// escapes. The last assignment of a key wins.
std::map<std::string, std::string, std::less<>> parse_os_release(std::string_view text);

}  // namespace tlsdoctor::platform
