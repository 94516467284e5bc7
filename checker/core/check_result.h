// What one check returns: its status, findings, and the facts it used.
#pragma once

#include <chrono>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "core/finding.h"

namespace tlsdoctor {

enum class CheckStatus { Pass, Warn, Fail, Skip, Error };

std::string_view to_string(CheckStatus status);

struct CheckResult {
  std::string id;       // the check's name: "clock", "trust_store", ...
  std::string title;    // "Clock and timezone"
  CheckStatus status = CheckStatus::Pass;
  std::chrono::milliseconds duration{0};
  std::string summary;  // one line for the text report: "synchronised, Europe/Berlin (UTC+01:00)"
  std::vector<Finding> findings;
  nlohmann::ordered_json facts = nlohmann::ordered_json::object();
  std::optional<std::string> error;  // set when status is Error or Skip: why it did not run
};

// Pass with no findings above info, Warn with a warning, Fail with a failure.
CheckStatus status_from_findings(const std::vector<Finding>& findings);

}  // namespace tlsdoctor
