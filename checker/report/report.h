// The report model: one run's system facts, check results, verdict and observations.
#pragma once

#include <chrono>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "core/check_result.h"
#include "diagnosis/verdict.h"

namespace tlsdoctor::report {

inline constexpr std::string_view kSchema = "tlsdoctor.report/1";

struct ToolInfo {
  std::string name = "tlsdoctor";
  std::string version;
};

struct RunInfo {
  std::string id;  // random, identifies this run in logs and SIEM events
  std::chrono::system_clock::time_point start;
  std::chrono::milliseconds duration{0};
  std::string mode = "check";
  nlohmann::ordered_json options = nlohmann::ordered_json::object();
};

struct SystemInfo {
  std::string os;       // "Debian GNU/Linux"
  std::string version;  // "12 (bookworm)"
  std::string arch;     // "x86_64"
  std::string kernel;   // "6.1.0-18-amd64"
  std::string host;     // redacted unless --no-redact
  std::string user;     // redacted unless --no-redact
};

struct ReferenceInfo {
  std::string source = "none";  // none | live | snapshot | loopback
  std::string key_id;
  std::string signature = "absent";  // absent | valid | invalid
};

struct Report {
  ToolInfo tool;
  RunInfo run;
  SystemInfo system;
  diagnosis::Verdict verdict;
  std::vector<CheckResult> checks;
  nlohmann::ordered_json probes = nlohmann::ordered_json::array();
  ReferenceInfo reference;
  bool redacted = true;
};

// Exit codes of the command-line contract.
enum class ExitCode : int { Healthy = 0, ProblemsFound = 1, UsageError = 2, CouldNotRun = 3 };

// 0 when the verdict is healthy (warnings alone do not fail a fleet's compliance), 1 when it
// names a cause, 3 when nothing could be examined.
ExitCode exit_code_for(const Report& report);

}  // namespace tlsdoctor::report
