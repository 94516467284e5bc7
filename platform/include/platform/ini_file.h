// A reader for INI-style configuration files (KDE's kioslaverc and similar): groups, keys, values.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace tlsdoctor::platform {

// One "key=value" line, with the group it stands in ("" before the first [group]).
struct IniEntry {
  std::string group;  // "Proxy Settings"; nested KConfig groups read "A][B"
  std::string key;    // without KConfig flags: "httpProxy[$e]" is read as "httpProxy"
  std::string value;  // trimmed, with KConfig escapes (\s \t \n \r \\) undone
  int line = 0;       // 1-based, for messages
};

struct IniFile {
  std::vector<IniEntry> entries;  // in file order; duplicates kept (the last one wins in get)

  // The value of `key` in `group`, or nullopt when the file does not set it.
  std::optional<std::string> get(std::string_view group, std::string_view key) const;
};

// Never fails: lines that are neither a group header nor key=value are skipped, as KConfig does.
IniFile parse_ini(std::string_view text);

}  // namespace tlsdoctor::platform
