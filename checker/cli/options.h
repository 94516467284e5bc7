// The parsed command line: what to run and how to show it.
#pragma once

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "policy/policy.h"

namespace tlsdoctor::cli {

enum class Command { Check, ListChecks, Version, Help, Probe, Snapshot, Compare };
// -f: text and json for every command; the MDM and SIEM renderings for `check` only.
enum class Format { Text, Json, Html, Jamf, Intune, Jsonl };

// Whole-run deadline when --timeout is not given (DESIGN.md: default 15 s).
inline constexpr std::chrono::seconds kDefaultRunTimeout{15};
// --timeout bounds: below 1 s nothing useful finishes; above 10 minutes is a typo, not a plan.
inline constexpr double kMinTimeoutSeconds = 1.0;
inline constexpr double kMaxTimeoutSeconds = 600.0;

// --ca-file: a system bundle is a few hundred KiB; a file far larger was named by mistake.
inline constexpr std::uintmax_t kMaxCaFileBytes = 8 * 1024 * 1024;

// Targets in one run: each costs a handshake and perhaps follow-ups, all under one deadline.
inline constexpr std::size_t kMaxTargets = 16;

// `tlsdoctor probe HOST[:PORT] ...`: one handshake (or one per version) and its observations.
struct ProbeOptions {
  std::string target;                 // as typed; parsed by cli/target.h
  bool all_versions = false;          // also one probe pinned to each of TLS 1.0-1.3
  std::optional<std::string> sni;     // --sni NAME
  bool no_sni = false;                // --no-sni
  std::optional<std::string> ca_file; // --ca-file FILE instead of the system store
  std::optional<std::string> proxy;   // --proxy URL instead of the environment's route
  bool no_proxy = false;              // --no-proxy: direct even when the environment names a proxy
};

// `tlsdoctor snapshot TARGET... -o FILE`: reference observations recorded on this machine.
struct SnapshotOptions {
  std::vector<std::string> targets;    // as typed; parsed by cli/target.h
  std::optional<std::string> ca_file;  // --ca-file FILE instead of the system store
};

// `tlsdoctor compare A.json B.json`: what differs between two reports.
struct CompareOptions {
  std::string a;
  std::string b;
};

// A report file compare reads: far larger than any report is not one.
inline constexpr std::uintmax_t kMaxReportFileBytes = 32 * 1024 * 1024;

struct Options {
  Command command = Command::Check;
  Format format = Format::Text;
  std::optional<std::string> output;  // -o FILE
  std::vector<std::string> only;      // --only ids, validated against the check list
  std::chrono::milliseconds timeout{kDefaultRunTimeout};
  bool verbose = false;
  bool quiet = false;
  bool no_color = false;
  bool no_redact = false;
  std::vector<std::string> targets;
  std::vector<std::string> resolve;  // --resolve HOST:PORT:ADDR entries, validated
  std::optional<std::string> reference_url;  // --reference https://... (with reference_key)
  std::optional<std::string> reference_key;  // --reference-key: a .pub file or "ed25519:..." text
  std::optional<std::string> reference_file;  // --reference-file: a snapshot (checked when parsed)
  // --proxy URL / --no-proxy: the route to the reference (and probe's, unless it names its own)
  // instead of the one the proxy variables give.
  std::optional<std::string> proxy;
  bool no_proxy = false;
  // --offline: no network at all (no reference, no time sources): the local checks only.
  bool offline = false;
  // --time-source URL: hosts whose HTTP Date the clock check asks instead of the default list.
  std::vector<std::string> time_sources;
  // --captive-url URL: the plain-HTTP page the captive-portal check asks (else the reference's).
  std::optional<std::string> captive_url;
  // --ca-file FILE: verify targets and time sources against this bundle, not the system store.
  std::optional<std::string> ca_file;
  // --policy FILE / --no-policy: the MDM policy (default: policy::kDefaultPolicyPath when it exists).
  std::optional<std::string> policy_file;
  bool no_policy = false;
  // The policy in force, folded in by cli/policy_source.h (empty source: none).
  policy::Policy policy;
  ProbeOptions probe;
  SnapshotOptions snapshot;
  CompareOptions compare;
  std::string help_text;  // filled for Command::Help
};

}  // namespace tlsdoctor::cli
