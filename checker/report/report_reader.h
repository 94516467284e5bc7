// Reading a saved JSON report back (for `tlsdoctor compare`): JSON, an object, and this schema.
#pragma once

#include <string>
#include <string_view>

#include <nlohmann/json.hpp>
#include <tl/expected.hpp>

namespace tlsdoctor::report {

// Deepest nesting accepted in a report read back. Reports tlsdoctor writes nest about 7 levels
// (report, checks, a check, findings, a finding, evidence, a value); 64 leaves room for versions
// to come, and refusing deeper text bounds what a hostile file makes the comparison recurse through.
inline constexpr std::size_t kMaxReportDepth = 64;

// `text` (a file's contents) as a report of schema kSchema. The error names `source` and says
// what is wrong: not JSON, nested too deep, not an object, another schema.
tl::expected<nlohmann::json, std::string> parse_report(std::string_view text, std::string_view source);

}  // namespace tlsdoctor::report
