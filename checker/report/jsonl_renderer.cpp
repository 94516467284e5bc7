// Renders findings and the verdict as ECS events, one JSON object per line.
#include "report/jsonl_renderer.h"

#include <nlohmann/json.hpp>

#include "core/time_format.h"
#include "report/mdm_status.h"

namespace tlsdoctor::report {
namespace {

using Json = nlohmann::ordered_json;

std::string level_of(Severity severity) {
  switch (severity) {
    case Severity::Fail: return "error";
    case Severity::Warn: return "warning";
    case Severity::Info: return "info";
  }
  return "info";
}

Json base_event(const Report& report, const std::string& level, const std::string& message, const std::string& dataset,
                const std::string& kind, const std::string& outcome) {
  Json e;
  e["@timestamp"] = rfc3339_utc(report.run.start);
  e["log.level"] = level;
  e["message"] = message;
  e["ecs.version"] = std::string(kEcsVersion);
  e["event"] = {{"kind", kind},
                {"category", Json::array({"network", "configuration"})},
                {"type", Json::array({"info"})},
                {"module", "tlsdoctor"},
                {"dataset", dataset},
                {"outcome", outcome}};
  e["host"] = {{"name", report.system.host},
               {"architecture", report.system.arch},
               {"os", {{"name", report.system.os}, {"version", report.system.version}, {"kernel", report.system.kernel}}}};
  e["tlsdoctor"] = {{"run_id", report.run.id}, {"version", report.tool.version}};
  return e;
}

// One line; invalid UTF-8 (a certificate's raw name) is replaced, never a reason to fail.
std::string line(const Json& event) { return event.dump(-1, ' ', false, Json::error_handler_t::replace) + "\n"; }

}  // namespace

std::string render_jsonl(const Report& report) {
  std::string out;
  for (const auto& check : report.checks) {
    for (const auto& f : check.findings) {
      const bool problem = f.severity != Severity::Info;
      auto e = base_event(report, level_of(f.severity), f.title, "tlsdoctor.finding", problem ? "alert" : "event",
                          f.severity == Severity::Fail ? "failure" : "success");
      Json evidence = Json::object();
      for (const auto& ev : f.evidence) evidence[ev.key] = ev.value;
      e["tlsdoctor"]["check"] = check.id;
      e["tlsdoctor"]["finding"] = {{"id", std::string(to_string(f.id))},
                                   {"severity", std::string(to_string(f.severity))},
                                   {"layer", std::string(to_string(layer_of(f.id)))},
                                   {"evidence", std::move(evidence)},
                                   {"fix", f.fix}};
      out += line(e);
    }
  }
  const auto counts = status_counts(report);
  const auto& v = report.verdict;
  auto e = base_event(report, counts.status == "healthy" ? "info" : "error", v.summary, "tlsdoctor.verdict",
                      counts.status == "healthy" ? "event" : "alert", counts.status == "healthy" ? "success" : "failure");
  e["tlsdoctor"]["verdict"] = {{"status", counts.status},
                               {"layer", std::string(diagnosis::to_string(v.layer))},
                               {"cause", v.cause ? Json(std::string(to_string(*v.cause))) : Json(nullptr)},
                               {"first_step", v.first_step},
                               {"fail_count", counts.fail},
                               {"warn_count", counts.warn}};
  out += line(e);
  return out;
}

}  // namespace tlsdoctor::report
