// The -f names, and a report rendered in the format asked for.
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "cli/options.h"
#include "report/report.h"
#include "report/text_renderer.h"

namespace tlsdoctor::cli {

// "text", "json", "html", "jamf", "intune", "jsonl".
std::string_view to_string(Format format);
std::optional<Format> format_from_string(std::string_view name);
// The names -f takes, comma-separated, for error messages and help.
std::string format_names();

// The report in `format`; `text` shapes the text rendering only.
std::string render_report(const report::Report& report, Format format, const report::TextOptions& text);

}  // namespace tlsdoctor::cli
