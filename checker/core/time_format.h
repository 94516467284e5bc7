// Timestamps as the report writes them: RFC 3339 in UTC.
#pragma once

#include <chrono>
#include <optional>
#include <string>
#include <string_view>

namespace tlsdoctor {

// "2026-11-22T07:40:12Z" (whole seconds; the report's timestamps need no more).
std::string rfc3339_utc(std::chrono::system_clock::time_point t);

// Parses the form rfc3339_utc writes (and a fractional part, which is dropped); nullopt otherwise.
std::optional<std::chrono::system_clock::time_point> parse_rfc3339_utc(std::string_view text);

}  // namespace tlsdoctor
