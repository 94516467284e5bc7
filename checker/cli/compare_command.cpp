// Loads two reports, diffs them with report::diff_reports, and prints the differences.
#include "cli/compare_command.h"

#include <iostream>

#include <fmt/format.h>
#include <nlohmann/json.hpp>
#include <tl/expected.hpp>

#include "core/atomic_file.h"
#include "core/bounded_file.h"
#include "report/report.h"
#include "report/report_diff.h"
#include "report/report_reader.h"

namespace tlsdoctor::cli {
namespace {

tl::expected<nlohmann::json, std::string> load_report(const std::string& path) {
  auto text = read_bounded_file(path, kMaxReportFileBytes, "a report");
  if (!text) return tl::unexpected(text.error().input + ": " + text.error().message);
  return report::parse_report(*text, path);
}

// "run 0123… on 2026-12-07T09:00:00Z, tlsdoctor 0.1.0".
std::string describe(const nlohmann::json& r) {
  const auto field = [](const nlohmann::json& j, const char* a, const char* b) {
    return j.contains(a) && j[a].is_object() && j[a].contains(b) && j[a][b].is_string() ? j[a][b].get<std::string>()
                                                                                      : std::string("?");
  };
  return fmt::format("run {} at {}, tlsdoctor {}", field(r, "run", "id"), field(r, "run", "start"),
                     field(r, "tool", "version"));
}

std::string render_text(const Options& o, const nlohmann::json& a, const nlohmann::json& b,
                        const std::vector<report::Difference>& diffs) {
  std::string out = fmt::format("A: {} ({})\nB: {} ({})\n\n", o.compare.a, describe(a), o.compare.b, describe(b));
  if (diffs.empty()) return out + "No differences that matter.\n";
  for (const auto& d : diffs) {
    if (d.a.empty()) {
      out += fmt::format("{:<10} {}: only in B: {}\n", d.area, d.item, d.b);
    } else if (d.b.empty()) {
      out += fmt::format("{:<10} {}: only in A: {}\n", d.area, d.item, d.a);
    } else {
      out += fmt::format("{:<10} {}: {} -> {}\n", d.area, d.item, d.a, d.b);
    }
  }
  return out + fmt::format("\n{} difference(s).\n", diffs.size());
}

std::string render_json(const Options& o, const std::vector<report::Difference>& diffs) {
  nlohmann::ordered_json j;
  j["schema"] = "tlsdoctor.compare/1";
  j["a"] = o.compare.a;
  j["b"] = o.compare.b;
  j["differences"] = nlohmann::ordered_json::array();
  for (const auto& d : diffs) j["differences"].push_back({{"area", d.area}, {"item", d.item}, {"a", d.a}, {"b", d.b}});
  return j.dump(2, ' ', false, nlohmann::ordered_json::error_handler_t::replace) + "\n";
}

}  // namespace

int run_compare_command(const Options& options) {
  auto a = load_report(options.compare.a);
  auto b = a ? load_report(options.compare.b) : tl::expected<nlohmann::json, std::string>(tl::unexpect, "");
  if (!a || !b) {
    std::cerr << fmt::format("tlsdoctor: error: compare: {}\n", !a ? a.error() : b.error());
    return static_cast<int>(report::ExitCode::UsageError);
  }
  const auto diffs = report::diff_reports(*a, *b);
  const std::string bytes = options.format == Format::Json ? render_json(options, diffs)
                                                           : render_text(options, *a, *b, diffs);
  if (options.output) {
    if (auto written = write_file_atomically(*options.output, bytes); !written) {
      std::cerr << fmt::format("tlsdoctor: error: {}: {}\n", written.error().input, written.error().message);
      return static_cast<int>(report::ExitCode::UsageError);
    }
  } else {
    std::cout << bytes << std::flush;
  }
  return diffs.empty() ? 0 : 1;
}

}  // namespace tlsdoctor::cli
