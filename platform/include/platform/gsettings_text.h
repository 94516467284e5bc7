// Readers for what `gsettings list-recursively` prints: one "schema key value" line per key,
// values in GVariant text form ('text', 3128, true, ['a', 'b']).
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace tlsdoctor::platform {

struct GsettingsLine {
  std::string schema;  // "org.gnome.system.proxy.http"
  std::string key;     // "host"
  std::string value;   // GVariant text as printed: "'proxy.corp'"
};

// Lines that do not have three fields are skipped.
std::vector<GsettingsLine> parse_gsettings_listing(std::string_view text);

// 'text' or "text" with GVariant escapes undone; nullopt when `value` is not a string literal.
std::optional<std::string> gvariant_string(std::string_view value);

// ['a', 'b'] or "@as []"; nullopt when `value` is not a string array.
std::optional<std::vector<std::string>> gvariant_string_array(std::string_view value);

}  // namespace tlsdoctor::platform
