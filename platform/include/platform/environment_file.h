// A reader for /etc/environment-style files: KEY=value lines as pam_env loads them at login.
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace tlsdoctor::platform {

struct EnvironmentAssignment {
  std::string name;   // "https_proxy"
  std::string value;  // with one pair of surrounding quotes removed, otherwise as written
  int line = 0;       // 1-based
};

// Every well-formed assignment in file order (a later one for the same name overrides, as in
// pam_env). Skips blank lines, '#' comments, lines without '=' and names that are not
// shell identifiers; accepts an "export " prefix.
std::vector<EnvironmentAssignment> parse_environment_file(std::string_view text);

}  // namespace tlsdoctor::platform
