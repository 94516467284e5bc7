// Renders the Jamf extension attribute line.
#include "report/jamf_renderer.h"

#include <fmt/format.h>

#include "report/mdm_status.h"

namespace tlsdoctor::report {
namespace {

std::string xml_escaped(const std::string& text) {
  std::string out;
  for (const char c : text) {
    switch (c) {
      case '&': out += "&amp;"; break;
      case '<': out += "&lt;"; break;
      case '>': out += "&gt;"; break;
      default: out += c;
    }
  }
  return out;
}

}  // namespace

std::string render_jamf(const Report& report) {
  const auto counts = status_counts(report);
  std::string line = counts.status;
  if (report.verdict.cause) {
    line += fmt::format(": {} {}", diagnosis::to_string(report.verdict.layer), to_string(*report.verdict.cause));
  }
  line += fmt::format(" ({} fail, {} warn)", counts.fail, counts.warn);
  if (line.size() > kMaxJamfLineChars) line.resize(kMaxJamfLineChars);
  return "<result>" + xml_escaped(line) + "</result>\n";
}

}  // namespace tlsdoctor::report
