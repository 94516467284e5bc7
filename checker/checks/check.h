// The interface every check implements, and the Context it runs in.
#pragma once

#include <memory>
#include <optional>
#include <string_view>
#include <vector>

#include "core/build_info.h"
#include "core/check_result.h"
#include "core/deadline.h"
#include "nettime/date_fetch.h"
#include "platform/env.h"
#include "policy/policy.h"
#include "tls/probe_spec.h"
#include "refclient/reference_client.h"
#include "refclient/snapshot_comparison.h"

namespace tlsdoctor::checks {

// Everything a check may use.
struct Context {
  platform::Env env;
  BuildInfo build;
  Deadline deadline;  // the whole run's; a check takes sub-deadlines from it
  std::optional<refclient::ReferenceTarget> reference = std::nullopt;  // --reference and its pinned keys
  std::optional<refclient::SnapshotReference> snapshot = std::nullopt;  // --reference-file
  // Hosts whose HTTP Date the clock check asks when the reference gives no time (empty: none,
  // as in an offline run), and how to reach them.
  std::vector<nettime::DateSource> date_sources = {};
  nettime::DateFetchOptions date_options = {};
  // A plain-HTTP page whose exact answer is known (the reference's kCaptivePortalPath), and the
  // proxy this machine's programs would use for it.
  std::optional<std::string> captive_url = std::nullopt;
  std::optional<std::string> captive_proxy = std::nullopt;
  // The sites the user named, as the default handshake to each (route and trust included).
  std::vector<tls::ProbeSpec> targets = {};
  // The deployed policy (empty when none): expected inspection, clock tolerance.
  policy::Policy policy = {};
};

class Check {
 public:
  virtual ~Check() = default;
  virtual std::string_view id() const = 0;     // "clock": the name --only takes
  virtual std::string_view title() const = 0;  // "Clock and timezone"
  // Gathers its facts, judges them, returns findings. Never prints, never throws for an
  // expected failure (an unreadable file is a finding or an error result, not an exception).
  virtual CheckResult run(const Context& ctx) const = 0;
};

// Every check in the order the report lists them.
std::vector<std::unique_ptr<Check>> all_checks();

}  // namespace tlsdoctor::checks
