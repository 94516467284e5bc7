// Renders the Intune discovery JSON.
#include "report/intune_renderer.h"

#include <nlohmann/json.hpp>

#include "report/mdm_status.h"

namespace tlsdoctor::report {

std::string render_intune(const Report& report) {
  const auto counts = status_counts(report);
  nlohmann::ordered_json j;
  j["TlsdoctorStatus"] = counts.status;
  j["TlsdoctorHealthy"] = counts.status == "healthy";
  j["TlsdoctorLayer"] = std::string(diagnosis::to_string(report.verdict.layer));
  j["TlsdoctorCause"] = report.verdict.cause ? std::string(to_string(*report.verdict.cause)) : std::string();
  j["TlsdoctorFailCount"] = counts.fail;
  j["TlsdoctorWarnCount"] = counts.warn;
  j["TlsdoctorVersion"] = report.tool.version;
  return j.dump(-1, ' ', false, nlohmann::ordered_json::error_handler_t::replace) + "\n";
}

}  // namespace tlsdoctor::report
