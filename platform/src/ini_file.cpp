// INI parsing with the KConfig conventions kioslaverc uses (flags in keys, backslash escapes).
#include "platform/ini_file.h"
#include "platform/text.h"

namespace tlsdoctor::platform {
namespace {

// KConfig writes a leading or trailing space as "\s" and control characters as escapes.
std::string unescape(std::string_view raw) {
  std::string out;
  out.reserve(raw.size());
  for (std::size_t i = 0; i < raw.size(); ++i) {
    if (raw[i] != '\\' || i + 1 == raw.size()) {
      out.push_back(raw[i]);
      continue;
    }
    const char next = raw[++i];
    switch (next) {
      case 's': out.push_back(' '); break;
      case 't': out.push_back('\t'); break;
      case 'n': out.push_back('\n'); break;
      case 'r': out.push_back('\r'); break;
      case '\\': out.push_back('\\'); break;
      default:
        out.push_back('\\');
        out.push_back(next);
    }
  }
  return out;
}

// "httpProxy[$e]" -> "httpProxy": KConfig appends option flags and locales in brackets.
std::string_view strip_key_flags(std::string_view key) {
  const auto bracket = key.find('[');
  if (bracket == std::string_view::npos || bracket == 0) return key;
  return trim(key.substr(0, bracket));
}

}  // namespace

std::optional<std::string> IniFile::get(std::string_view group, std::string_view key) const {
  std::optional<std::string> found;
  for (const auto& e : entries) {
    if (e.group == group && e.key == key) found = e.value;
  }
  return found;
}

IniFile parse_ini(std::string_view text) {
  IniFile file;
  std::string group;
  int line_no = 0;
  std::size_t pos = 0;
  while (pos <= text.size()) {
    const auto end = text.find('\n', pos);
    const auto raw = text.substr(pos, end == std::string_view::npos ? text.size() - pos : end - pos);
    pos = end == std::string_view::npos ? text.size() + 1 : end + 1;
    ++line_no;
    const auto line = trim(raw);
    if (line.empty() || line.front() == '#' || line.front() == ';') continue;
    if (line.front() == '[') {
      const auto close = line.rfind(']');
      if (close == std::string_view::npos || close == 0) continue;
      group = std::string(line.substr(1, close - 1));
      continue;
    }
    const auto eq = line.find('=');
    if (eq == std::string_view::npos || eq == 0) continue;
    const auto key = strip_key_flags(trim(line.substr(0, eq)));
    if (key.empty()) continue;
    file.entries.push_back(
        IniEntry{group, std::string(key), unescape(trim(line.substr(eq + 1))), line_no});
  }
  return file;
}

}  // namespace tlsdoctor::platform
