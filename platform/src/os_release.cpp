// Parses os-release(5) text; which file is read is the OS backend's business (system_info_linux.cpp).
#include "platform/os_release.h"

namespace tlsdoctor::platform {
namespace {

// One os-release value: shell-style quoting with backslash escapes inside double quotes.
std::string unquote(std::string_view value) {
  std::string out;
  char quote = '\0';
  for (std::size_t i = 0; i < value.size(); ++i) {
    const char c = value[i];
    if (quote == '\0' && (c == '"' || c == '\'')) {
      quote = c;
    } else if (quote != '\0' && c == quote) {
      quote = '\0';
    } else if (c == '\\' && quote != '\'' && i + 1 < value.size()) {
      out.push_back(value[++i]);
    } else {
      out.push_back(c);
    }
  }
  return out;
}

}  // namespace

std::map<std::string, std::string, std::less<>> parse_os_release(std::string_view text) {
  std::map<std::string, std::string, std::less<>> values;
  std::size_t start = 0;
  while (start < text.size()) {
    auto end = text.find('\n', start);
    if (end == std::string_view::npos) end = text.size();
    std::string_view line = text.substr(start, end - start);
    start = end + 1;
    while (!line.empty() && (line.front() == ' ' || line.front() == '\t')) line.remove_prefix(1);
    while (!line.empty() && (line.back() == ' ' || line.back() == '\t' || line.back() == '\r')) {
      line.remove_suffix(1);
    }
    const auto eq = line.find('=');
    if (line.empty() || line.front() == '#' || eq == std::string_view::npos || eq == 0) continue;
    values[std::string(line.substr(0, eq))] = unquote(line.substr(eq + 1));
  }
  return values;
}

}  // namespace tlsdoctor::platform
