// Renders a report as text in the style of `flutter doctor`, wrapped to the terminal width.
#include "report/text_renderer.h"

#include <fmt/format.h>

#include <sstream>

#include "core/finding_id.h"

namespace tlsdoctor::report {
namespace {

constexpr std::string_view kReset = "\033[0m";
constexpr std::string_view kGreen = "\033[32m";
constexpr std::string_view kYellow = "\033[33m";
constexpr std::string_view kRed = "\033[31m";
constexpr std::string_view kBold = "\033[1m";
constexpr std::string_view kDim = "\033[2m";

class Writer {
 public:
  explicit Writer(const TextOptions& o) : opts_(o) {}

  std::string paint(std::string_view text, std::string_view color) const {
    if (!opts_.color) return std::string(text);
    return fmt::format("{}{}{}", color, text, kReset);
  }

  // Writes `text` wrapped at the width; the first line starts with `first` (already painted,
  // `first_cols` columns wide), later lines are indented by `indent` spaces.
  void wrapped(std::string_view first, std::size_t first_cols, std::string_view text,
               std::size_t indent) {
    std::size_t col = first_cols;
    out_ << first;
    std::istringstream words{std::string(text)};
    std::string word;
    bool line_empty = true;
    while (words >> word) {
      // A word wider than a whole line (a JSON fact, a long path) is cut where the line ends.
      while (display_width(word) > opts_.width - indent) {
        const std::size_t room = col + 1 < opts_.width ? opts_.width - col - (line_empty ? 0 : 1) : 0;
        if (room < 8) {
          out_ << '\n' << std::string(indent, ' ');
          col = indent;
          line_empty = true;
          continue;
        }
        const std::size_t cut = byte_offset(word, room);
        out_ << (line_empty ? "" : " ") << word.substr(0, cut) << '\n' << std::string(indent, ' ');
        word.erase(0, cut);
        col = indent;
        line_empty = true;
      }
      const std::size_t len = display_width(word);
      if (!line_empty && col + 1 + len > opts_.width) {
        out_ << '\n' << std::string(indent, ' ');
        col = indent;
        line_empty = true;
      }
      if (!line_empty) {
        out_ << ' ';
        ++col;
      }
      out_ << word;
      col += len;
      line_empty = false;
    }
    out_ << '\n';
  }

  void line(std::string_view text = "") { out_ << text << '\n'; }
  std::string str() const { return out_.str(); }

  // Byte offset of the first `columns` code points of s.
  static std::size_t byte_offset(std::string_view s, std::size_t columns) {
    std::size_t seen = 0;
    for (std::size_t i = 0; i < s.size(); ++i) {
      if ((static_cast<unsigned char>(s[i]) & 0xC0) != 0x80) {
        if (seen == columns) return i;
        ++seen;
      }
    }
    return s.size();
  }

  // Columns a UTF-8 string takes: count code points, not bytes.
  static std::size_t display_width(std::string_view s) {
    std::size_t n = 0;
    for (unsigned char c : s) n += (c & 0xC0) != 0x80 ? 1 : 0;
    return n;
  }

 private:
  const TextOptions& opts_;
  std::ostringstream out_;
};

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

void render_facts(Writer& w, const nlohmann::ordered_json& facts, std::size_t indent) {
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
    w.wrapped(head, Writer::display_width(head), shown, indent + 4);
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
  Writer w(options);
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
          w.wrapped(arrow, Writer::display_width(arrow), f.fix, Writer::display_width(arrow));
        }
        if (options.verbose) {
          w.line(w.paint(fmt::format("      id: {}", to_string(f.id)), kDim));
          for (const auto& e : f.evidence) {
            const std::string head2 = fmt::format("      {}: ", e.key);
            w.wrapped(head2, Writer::display_width(head2), e.value, 10);
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
  w.wrapped(w.paint(head, color), Writer::display_width(head), v.summary, 2);
  if (!v.first_step.empty()) {
    w.wrapped("First thing to do: ", 19, v.first_step, 2);
  }
  if (options.verbose && !options.quiet) {
    for (const auto& missing : v.missing_evidence) w.wrapped("Not examined: ", 14, missing, 2);
  }
  return w.str();
}

}  // namespace tlsdoctor::report
