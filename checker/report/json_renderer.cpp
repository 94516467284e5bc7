// Builds the JSON document of schema tlsdoctor.report/1 from the report model.
#include "report/json_renderer.h"

#include "core/time_format.h"

namespace tlsdoctor::report {

using nlohmann::ordered_json;

ordered_json to_json(const Finding& finding) {
  ordered_json evidence = ordered_json::object();
  for (const auto& e : finding.evidence) evidence[e.key] = e.value;
  ordered_json j;
  j["id"] = std::string(to_string(finding.id));
  j["severity"] = std::string(to_string(finding.severity));
  j["layer"] = std::string(to_string(layer_of(finding.id)));
  j["title"] = finding.title;
  j["evidence"] = std::move(evidence);
  j["fix"] = finding.fix.empty() ? ordered_json(nullptr) : ordered_json(finding.fix);
  return j;
}

ordered_json to_json(const CheckResult& check) {
  ordered_json j;
  j["id"] = check.id;
  j["title"] = check.title;
  j["status"] = std::string(to_string(check.status));
  j["duration_ms"] = check.duration.count();
  j["summary"] = check.summary;
  j["findings"] = ordered_json::array();
  for (const auto& f : check.findings) j["findings"].push_back(to_json(f));
  j["facts"] = check.facts;
  j["error"] = check.error ? ordered_json(*check.error) : ordered_json(nullptr);
  return j;
}

ordered_json to_json(const Report& report) {
  ordered_json j;
  j["schema"] = std::string(kSchema);
  j["tool"] = {{"name", report.tool.name}, {"version", report.tool.version}};
  j["run"] = {{"id", report.run.id},
              {"start", rfc3339_utc(report.run.start)},
              {"duration_ms", report.run.duration.count()},
              {"mode", report.run.mode},
              {"redacted", report.redacted},
              {"options", report.run.options}};
  j["system"] = {{"os", report.system.os},         {"version", report.system.version},
                 {"arch", report.system.arch},     {"kernel", report.system.kernel},
                 {"host", report.system.host},     {"user", report.system.user}};

  const auto& v = report.verdict;
  ordered_json contributing = ordered_json::array();
  for (auto id : v.contributing) contributing.push_back(std::string(to_string(id)));
  j["verdict"] = {
      {"layer", std::string(diagnosis::to_string(v.layer))},
      {"cause", v.cause ? ordered_json(std::string(to_string(*v.cause))) : ordered_json(nullptr)},
      {"summary", v.summary},
      {"first_step", v.first_step.empty() ? ordered_json(nullptr) : ordered_json(v.first_step)},
      {"contributing", std::move(contributing)},
      {"confidence", std::string(diagnosis::to_string(v.confidence))},
      {"missing_evidence", v.missing_evidence}};

  j["checks"] = ordered_json::array();
  for (const auto& c : report.checks) j["checks"].push_back(to_json(c));
  j["probes"] = report.probes;
  j["reference"] = {{"source", report.reference.source},
                    {"key_id", report.reference.key_id.empty()
                                   ? ordered_json(nullptr)
                                   : ordered_json(report.reference.key_id)},
                    {"signature", report.reference.signature}};
  return j;
}

std::string render_json(const Report& report) {
  // Replace invalid UTF-8 (a certificate subject in Latin-1, say) rather than throw.
  return to_json(report).dump(2, ' ', false, nlohmann::ordered_json::error_handler_t::replace) + "\n";
}

}  // namespace tlsdoctor::report
