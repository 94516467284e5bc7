// The policy IT deploys (/etc/tlsdoctor/policy.json): reference, targets, expected inspection, limits.
#pragma once

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace tlsdoctor::policy {

// Read when present and no --policy names another file.
inline constexpr std::string_view kDefaultPolicyPath = "/etc/tlsdoctor/policy.json";
// The one schema this build reads; a policy may say so in "schema" (and should).
inline constexpr std::string_view kPolicySchema = "tlsdoctor.policy/1";
// A real policy is a few KiB; a file far larger was named by mistake.
inline constexpr std::uintmax_t kMaxPolicyBytes = 1024 * 1024;
// Expected inspections in one policy, and issuer names or key pins in one of them: an
// organisation runs a handful of inspecting products, each with a root or two.
inline constexpr std::size_t kMaxExpectedInspections = 64;
inline constexpr std::size_t kMaxPinsPerInspection = 32;
// clock.tolerance_seconds: at least a second; at most a day (beyond that a clock is just wrong).
inline constexpr std::int64_t kMinClockToleranceSeconds = 1;
inline constexpr std::int64_t kMaxClockToleranceSeconds = 86400;
// clock.time_sources entries, as the command line's --time-source allows.
inline constexpr std::size_t kMaxPolicyTimeSources = 16;

// TLS inspection the organisation runs on purpose: a chain that matches is expected, not an attack.
struct ExpectedInspection {
  std::string name;                  // "Contoso web gateway": shown in findings
  std::vector<std::string> issuers;  // issuer names (RFC 2253 DN or CN) of the certificates it issues
  std::vector<std::string> spki_sha256;  // SHA-256 of a SubjectPublicKeyInfo in its chain, lowercase hex
};

struct PolicyReference {
  std::string url;       // https://...
  std::string key_text;  // the pinned key(s), "ed25519:..." separated by commas (checked when read)
};

struct ReportCopy {
  std::string path;             // absolute; written atomically after every run
  std::string format = "json";  // one of kReportCopyFormats
};
// The renderings a report copy may use.
inline constexpr std::string_view kReportCopyFormats[] = {"json", "text", "html", "jsonl"};

struct Policy {
  std::string source;  // the file it came from; empty: no policy
  std::optional<PolicyReference> reference;
  std::vector<std::string> targets;  // as a user would type them; the command line checks them
  std::vector<ExpectedInspection> expected_inspection;
  std::optional<std::chrono::seconds> clock_tolerance;
  std::vector<std::string> time_sources;  // https:// hosts for the clock (replace the defaults)
  std::vector<std::string> skip_checks;   // check ids; the command line checks them
  std::optional<std::string> captive_url;
  std::optional<ReportCopy> report;
};

}  // namespace tlsdoctor::policy
