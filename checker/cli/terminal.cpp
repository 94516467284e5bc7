// Terminal capability decisions for the text renderer.
#include "cli/terminal.h"

#include <unistd.h>

#include <algorithm>
#include <cctype>
#include <string>

namespace tlsdoctor::cli {

bool use_color(const platform::Env& env, int fd, bool no_color_flag) {
  if (no_color_flag || env.var("NO_COLOR")) return false;
  if (const auto term = env.var("TERM"); term && *term == "dumb") return false;
  return ::isatty(fd) == 1;
}

bool use_unicode(const platform::Env& env) {
  for (const char* name : {"LC_ALL", "LC_CTYPE", "LANG"}) {
    auto value = env.var(name);
    if (!value || value->empty()) continue;
    std::string lower = *value;
    std::transform(lower.begin(), lower.end(), lower.begin(),
                   [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
    return lower.find("utf-8") != std::string::npos || lower.find("utf8") != std::string::npos;
  }
  return false;
}

}  // namespace tlsdoctor::cli
