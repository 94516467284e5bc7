// Renders a report as text in the style of `flutter doctor`, wrapped to the terminal width.
#include "report/text_renderer.h"

#include <fmt/format.h>

#include <sstream>

#include "core/finding_id.h"
#include "report/text_writer.h"

namespace tlsdoctor::report {
namespace {

struct Mark {
  std::string_view symbol;
  std::string_view color;
};

Mark status_mark(CheckStatus s, bool unicode) {
  switch (s) {
    case CheckStatus::Pass: return {unicode ? "✓" : "+", kGreen};
    case CheckStatus::Warn: return {"!", kYellow};
    case CheckStatus::Fail: return {unicode ? "✗" : "x", kRed};
    case CheckStatus::Skip: return {"-", kDim};
    case CheckStatus::Error: return {"?", kRed};
  }
  return {"?", kRed};
}

Mark severity_mark(Severity s, bool unicode) {
  switch (s) {
    case Severity::Info: return {unicode ? "•" : "*", kDim};
    case Severity::Warn: return {"!", kYellow};
    case Severity::Fail: return {unicode ? "✗" : "x", kRed};
  }
  return {"*", kDim};
}

void render_facts(TextWriter& w, const nlohmann::ordered_json& facts, std::size_t indent) {
  if (!facts.is_object()) return;
  for (const auto& [key, value] : facts.items()) {
    std::string shown;
    if (value.is_string()) {
      shown = value.get<std::string>();
    } else if (value.is_structured()) {
      shown = value.dump(-1, ' ', false, nlohmann::ordered_json::error_handler_t::replace);
      constexpr std::size_t kMaxFactChars = 300;  // -v stays readable; JSON has everything
      if (shown.size() > kMaxFactChars) shown = shown.substr(0, kMaxFactChars) + " …";
    } else {
      shown = value.dump();
    }
    const std::string head = fmt::format("{}{}: ", std::string(indent, ' '), key);
    w.wrapped(head, TextWriter::display_width(head), shown, indent + 4);
  }
}

std::size_t count_severity(const Report& r, Severity s) {
  std::size_t n = 0;
  for (const auto& c : r.checks)
    for (const auto& f : c.findings) n += f.severity == s ? 1 : 0;
  return n;
}

}  // namespace

std::string render_text(const Report& report, const TextOptions& options) {
  TextWriter w(options);
  const auto& v = report.verdict;

  if (!options.quiet) {
    w.wrapped(w.paint(fmt::format("tlsdoctor {} ", report.tool.version), kBold),
              11 + report.tool.version.size(),
              fmt::format("— {} {} ({})", report.system.os, report.system.version, report.system.arch),
              2);
    w.line();
    for (const auto& c : report.checks) {
      const Mark m = status_mark(c.status, options.unicode);
      const std::string head = fmt::format("[{}] ", w.paint(m.symbol, m.color));
      std::string text = c.title;
      if (!c.summary.empty()) text += ": " + c.summary;
      if (c.error) text += " (" + *c.error + ")";
      w.wrapped(head, 4, text, 4);
      for (const auto& f : c.findings) {
        if (f.severity == Severity::Info && !options.verbose) continue;
        const Mark fm = severity_mark(f.severity, options.unicode);
        w.wrapped(fmt::format("    {} ", w.paint(fm.symbol, fm.color)), 6, f.title, 6);
        if (!f.fix.empty()) {
          const std::string arrow = fmt::format("      {} ", options.unicode ? "→" : "->");
          w.wrapped(arrow, TextWriter::display_width(arrow), f.fix, TextWriter::display_width(arrow));
        }
        if (options.verbose) {
          w.line(w.paint(fmt::format("      id: {}", to_string(f.id)), kDim));
          for (const auto& e : f.evidence) {
            const std::string head2 = fmt::format("      {}: ", e.key);
            w.wrapped(head2, TextWriter::display_width(head2), e.value, 10);
          }
        }
      }
      if (options.verbose) render_facts(w, c.facts, 6);
    }
    w.line();
    const auto fails = count_severity(report, Severity::Fail);
    const auto warns = count_severity(report, Severity::Warn);
    w.line(fmt::format("Summary: {} problem{}, {} warning{} in {} checks ({} ms).", fails,
                       fails == 1 ? "" : "s", warns, warns == 1 ? "" : "s", report.checks.size(),
                       report.run.duration.count()));
  }

  const std::string_view color = v.layer == diagnosis::VerdictLayer::None      ? kGreen
                                 : v.layer == diagnosis::VerdictLayer::Unknown ? kYellow
                                                                               : kRed;
  const std::string head = fmt::format("Verdict: {} — ", diagnosis::to_string(v.layer));
  w.wrapped(w.paint(head, color), TextWriter::display_width(head), v.summary, 2);
  if (!v.first_step.empty()) {
    w.wrapped("First thing to do: ", 19, v.first_step, 2);
  }
  if (options.verbose && !options.quiet) {
    for (const auto& missing : v.missing_evidence) w.wrapped("Not examined: ", 14, missing, 2);
  }
  return w.str();
}

}  // namespace tlsdoctor::report
