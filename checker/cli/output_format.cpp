// Maps -f names to renderers.
#include "cli/output_format.h"

#include <array>
#include <utility>

#include "report/html_renderer.h"
#include "report/intune_renderer.h"
#include "report/jamf_renderer.h"
#include "report/json_renderer.h"
#include "report/jsonl_renderer.h"

namespace tlsdoctor::cli {
namespace {

constexpr std::array<std::pair<Format, std::string_view>, 6> kNames{{{Format::Text, "text"},
                                                                     {Format::Json, "json"},
                                                                     {Format::Html, "html"},
                                                                     {Format::Jamf, "jamf"},
                                                                     {Format::Intune, "intune"},
                                                                     {Format::Jsonl, "jsonl"}}};

}  // namespace

std::string_view to_string(Format format) {
  for (const auto& [f, name] : kNames) {
    if (f == format) return name;
  }
  return "text";
}

std::optional<Format> format_from_string(std::string_view name) {
  for (const auto& [f, known] : kNames) {
    if (known == name) return f;
  }
  return std::nullopt;
}

std::string format_names() {
  std::string out;
  for (const auto& [f, name] : kNames) out += (out.empty() ? "" : ", ") + std::string(name);
  return out;
}

std::string render_report(const report::Report& report, Format format, const report::TextOptions& text) {
  switch (format) {
    case Format::Json: return report::render_json(report);
    case Format::Html: return report::render_html(report);
    case Format::Jamf: return report::render_jamf(report);
    case Format::Intune: return report::render_intune(report);
    case Format::Jsonl: return report::render_jsonl(report);
    case Format::Text: break;
  }
  return report::render_text(report, text);
}

}  // namespace tlsdoctor::cli
