// Stable strings for severities and check statuses, and the status a set of findings implies.
#include "core/check_result.h"
#include "core/finding.h"

namespace tlsdoctor {

std::string_view to_string(Severity severity) {
  switch (severity) {
    case Severity::Info: return "info";
    case Severity::Warn: return "warn";
    case Severity::Fail: return "fail";
  }
  return "info";
}

std::string_view to_string(CheckStatus status) {
  switch (status) {
    case CheckStatus::Pass: return "pass";
    case CheckStatus::Warn: return "warn";
    case CheckStatus::Fail: return "fail";
    case CheckStatus::Skip: return "skip";
    case CheckStatus::Error: return "error";
  }
  return "error";
}

CheckStatus status_from_findings(const std::vector<Finding>& findings) {
  CheckStatus status = CheckStatus::Pass;
  for (const auto& f : findings) {
    if (f.severity == Severity::Fail) return CheckStatus::Fail;
    if (f.severity == Severity::Warn) status = CheckStatus::Warn;
  }
  return status;
}

}  // namespace tlsdoctor
