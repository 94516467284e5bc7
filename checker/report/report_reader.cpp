// Reading a saved JSON report back: JSON with its nesting bounded, an object, and this schema.
#include "report/report_reader.h"

#include <fmt/format.h>

#include "report/report.h"

namespace tlsdoctor::report {

tl::expected<nlohmann::json, std::string> parse_report(std::string_view text, std::string_view source) {
  bool too_deep = false;
  // Values nested deeper than the limit are dropped as they are read, and the text refused.
  const nlohmann::json::parser_callback_t limit_depth = [&](int depth, nlohmann::json::parse_event_t,
                                                            nlohmann::json&) {
    if (depth >= static_cast<int>(kMaxReportDepth)) too_deep = true;  // depth counts from 0
    return !too_deep;
  };
  auto j = nlohmann::json::parse(text.begin(), text.end(), limit_depth, false);
  if (too_deep) {
    return tl::unexpected(fmt::format("{}: not a tlsdoctor report (JSON nested deeper than {} levels)", source,
                                      kMaxReportDepth));
  }
  if (j.is_discarded()) return tl::unexpected(fmt::format("{}: not JSON (write reports with -f json)", source));
  if (!j.is_object() || !j.contains("schema") || j["schema"] != std::string(kSchema)) {
    return tl::unexpected(fmt::format("{}: not a tlsdoctor report (no \"schema\": \"{}\")", source, kSchema));
  }
  return j;
}

}  // namespace tlsdoctor::report
