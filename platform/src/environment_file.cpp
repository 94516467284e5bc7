// Parsing of /etc/environment: the simple KEY=value format pam_env reads (no variable expansion).
#include "platform/environment_file.h"

#include <cctype>
#include "platform/text.h"

namespace tlsdoctor::platform {
namespace {

bool is_identifier(std::string_view name) {
  if (name.empty() || std::isdigit(static_cast<unsigned char>(name.front())) != 0) return false;
  for (const char c : name) {
    if (std::isalnum(static_cast<unsigned char>(c)) == 0 && c != '_') return false;
  }
  return true;
}

std::string_view unquote(std::string_view value) {
  if (value.size() >= 2 && (value.front() == '"' || value.front() == '\'') &&
      value.back() == value.front()) {
    return value.substr(1, value.size() - 2);
  }
  return value;
}

}  // namespace

std::vector<EnvironmentAssignment> parse_environment_file(std::string_view text) {
  std::vector<EnvironmentAssignment> out;
  int line_no = 0;
  std::size_t pos = 0;
  while (pos < text.size()) {
    const auto end = text.find('\n', pos);
    auto line = trim(text.substr(pos, end == std::string_view::npos ? std::string_view::npos
                                                                    : end - pos));
    pos = end == std::string_view::npos ? text.size() : end + 1;
    ++line_no;
    if (line.empty() || line.front() == '#') continue;
    if (line.starts_with("export ") || line.starts_with("export\t")) line = trim(line.substr(7));
    const auto eq = line.find('=');
    if (eq == std::string_view::npos) continue;
    const auto name = trim(line.substr(0, eq));
    if (!is_identifier(name)) continue;
    out.push_back({std::string(name), std::string(unquote(trim(line.substr(eq + 1)))), line_no});
  }
  return out;
}

}  // namespace tlsdoctor::platform
