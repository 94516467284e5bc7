// Renders a report as one self-contained HTML page.
#include "report/html_renderer.h"

#include <fmt/format.h>

#include "core/time_format.h"
#include "report/mdm_status.h"

namespace tlsdoctor::report {
namespace {

using Json = nlohmann::ordered_json;

// Inline and small: system fonts, a readable measure, status colours that print in grey too.
constexpr std::string_view kStyle = R"(
body{font:16px/1.5 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;margin:0 auto;max-width:56rem;padding:1rem;color:#1b1b1b}
h1{font-size:1.4rem}h2{font-size:1.15rem;margin-top:2rem}
.verdict{border-left:6px solid #888;padding:.5rem 1rem;background:#f4f4f4}
.verdict.healthy{border-color:#2e7d32}.verdict.problems{border-color:#c62828}.verdict.error{border-color:#ef6c00}
table{border-collapse:collapse;width:100%}td,th{text-align:left;vertical-align:top;padding:.35rem .5rem;border-bottom:1px solid #ddd}
.status{font-weight:600;white-space:nowrap}.pass{color:#2e7d32}.warn{color:#ef6c00}.fail{color:#c62828}.skip,.error{color:#555}
.finding{margin:.25rem 0}.fix{margin:.1rem 0 .4rem 0}code,pre{font:13px/1.4 ui-monospace,Menlo,Consolas,monospace;overflow-wrap:anywhere;white-space:pre-wrap}
details summary{cursor:pointer}.meta{color:#555;font-size:.9rem}
@media (max-width:40rem){thead{display:none}td,th{display:block;border:none;padding:.15rem 0}tr{display:block;border-bottom:1px solid #ddd;padding:.4rem 0}}
@media print{details>*{display:block}summary{display:none}body{max-width:none}}
)";

std::string escaped(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  for (const char c : text) {
    switch (c) {
      case '&': out += "&amp;"; break;
      case '<': out += "&lt;"; break;
      case '>': out += "&gt;"; break;
      case '"': out += "&quot;"; break;
      case '\'': out += "&#39;"; break;
      default: out += c;
    }
  }
  return out;
}

std::string json_text(const Json& j) {
  if (j.is_null()) return "";
  if (j.is_string()) return j.get<std::string>();
  return j.dump(-1, ' ', false, Json::error_handler_t::replace);
}

const Json& field(const Json& j, const char* key) {
  static const Json kNull;
  return j.is_object() && j.contains(key) ? j[key] : kNull;
}

std::string verdict_section(const Report& r) {
  const auto counts = status_counts(r);
  const auto& v = r.verdict;
  std::string out = fmt::format("<section class=\"verdict {}\" id=\"verdict\">\n<h2>Verdict: {}</h2>\n<p>{}</p>\n",
                                counts.status, escaped(diagnosis::to_string(v.layer)), escaped(v.summary));
  if (v.cause) out += fmt::format("<p>Cause: <code>{}</code></p>\n", escaped(to_string(*v.cause)));
  if (!v.first_step.empty()) out += fmt::format("<p><strong>First step:</strong> {}</p>\n", escaped(v.first_step));
  out += fmt::format("<p class=\"meta\">{} failing, {} warning finding(s); confidence {}</p>\n", counts.fail, counts.warn,
                     escaped(diagnosis::to_string(v.confidence)));
  for (const auto& missing : v.missing_evidence) out += fmt::format("<p class=\"meta\">Not examined: {}</p>\n", escaped(missing));
  return out + "</section>\n";
}

std::string finding_html(const Finding& f) {
  std::string out = fmt::format("<div class=\"finding\"><span class=\"status {0}\">{0}</span> {1} <code>{2}</code>",
                                escaped(to_string(f.severity)), escaped(f.title), escaped(to_string(f.id)));
  if (!f.fix.empty()) out += fmt::format("<p class=\"fix\">&rarr; {}</p>", escaped(f.fix));
  if (!f.evidence.empty()) {
    out += "<details><summary>Evidence</summary><table>";
    for (const auto& e : f.evidence) out += fmt::format("<tr><th>{}</th><td>{}</td></tr>", escaped(e.key), escaped(e.value));
    out += "</table></details>";
  }
  return out + "</div>\n";
}

std::string checks_section(const Report& r) {
  std::string out = "<section id=\"checks\">\n<h2>Checks</h2>\n<table>\n<thead><tr><th>Status</th><th>Check</th><th>What was found</th></tr></thead>\n";
  for (const auto& c : r.checks) {
    const std::string status(to_string(c.status));
    out += fmt::format("<tr id=\"check-{}\"><td class=\"status {}\">{}</td><td>{}<br><span class=\"meta\">{} ms</span></td><td>{}",
                       escaped(c.id), status, status, escaped(c.title), c.duration.count(), escaped(c.summary));
    if (c.error) out += fmt::format("<p class=\"meta\">{}</p>", escaped(*c.error));
    for (const auto& f : c.findings) out += finding_html(f);
    out += "</td></tr>\n";
  }
  return out + "</table>\n</section>\n";
}

std::string probe_html(const Json& p) {
  const std::string failure = json_text(field(p, "failure"));
  const bool ok = failure.empty() || failure == "none";
  std::string out = fmt::format("<details open><summary><code>{}</code> [{}]: <span class=\"status {}\">{}</span></summary>\n",
                                escaped(json_text(field(p, "target"))), escaped(json_text(field(p, "label"))),
                                ok ? "pass" : "fail", ok ? "completed, verified" : escaped(failure));
  if (!ok) out += fmt::format("<p>{}</p>\n", escaped(json_text(field(p, "meaning"))));
  const auto& hello = field(p, "client_hello");
  out += fmt::format("<p class=\"meta\">ClientHello: JA3 <code>{}</code>, JA4 <code>{}</code>; server: {}</p>\n",
                     escaped(json_text(field(hello, "ja3_hash"))), escaped(json_text(field(hello, "ja4"))),
                     escaped(json_text(field(field(p, "server_hello"), "version"))));
  const auto& chain = field(p, "chain");
  if (chain.is_array() && !chain.empty()) {
    out += "<table><tr><th>#</th><th>Subject</th><th>Issuer</th><th>Valid until</th></tr>";
    std::size_t i = 0;
    for (const auto& c : chain) {
      out += fmt::format("<tr><td>{}</td><td>{}</td><td>{}</td><td>{}</td></tr>", i++, escaped(json_text(field(c, "subject"))),
                         escaped(json_text(field(c, "issuer"))), escaped(json_text(field(c, "not_after"))));
    }
    out += "</table>\n";
  }
  return out + "</details>\n";
}

std::string details_section(const Report& r) {
  std::string out = "<section id=\"details\">\n<h2>Details</h2>\n";
  if (r.probes.is_array() && !r.probes.empty()) {
    out += "<h3>Targets</h3>\n";
    for (const auto& p : r.probes) out += probe_html(p);
  }
  for (const auto& c : r.checks) {
    if (c.id != "proxy") continue;
    out += "<h3>Proxy</h3>\n<table>";
    const auto& sources = field(c.facts, "sources");
    if (sources.is_array()) {
      for (const auto& s : sources) {
        out += fmt::format("<tr><th>{}</th><td>{}</td></tr>", escaped(json_text(field(s, "source"))),
                           escaped(json_text(field(s, "origin"))));
      }
    }
    out += fmt::format("<tr><th>route</th><td>{}</td></tr></table>\n", escaped(c.summary));
  }
  const auto& policy = field(r.run.options, "policy");
  out += fmt::format("<h3>Policy</h3>\n<p>{}</p>\n", policy.is_string() ? escaped(policy.get<std::string>()) : "none");
  return out + "</section>\n";
}

}  // namespace

std::string render_html(const Report& r) {
  std::string out = "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n"
                    "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n";
  out += fmt::format("<title>tlsdoctor report: {}</title>\n<style>{}</style>\n</head>\n<body>\n",
                     escaped(diagnosis::to_string(r.verdict.layer)), kStyle);
  out += fmt::format("<h1>tlsdoctor report</h1>\n<p class=\"meta\">{} {} &middot; {} {} ({}) &middot; run {} at {}{}</p>\n",
                     escaped(r.tool.name), escaped(r.tool.version), escaped(r.system.os), escaped(r.system.version),
                     escaped(r.system.arch), escaped(r.run.id), escaped(rfc3339_utc(r.run.start)),
                     r.redacted ? " &middot; redacted" : "");
  out += verdict_section(r) + checks_section(r) + details_section(r);
  return out + "</body>\n</html>\n";
}

}  // namespace tlsdoctor::report
