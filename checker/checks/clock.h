// The clock check: is this machine's time right, and is its time zone and synchronisation sound.
#pragma once

#include <chrono>
#include <optional>
#include <string>
#include <vector>

#include "checks/check.h"
#include "checks/clock_skew.h"
#include "core/build_info.h"
#include "core/check_result.h"
#include "platform/clock.h"

namespace tlsdoctor::checks {

// The correct time from a source this machine does not control (the signed reference, HTTP
// Date headers from several hosts): nettime finds it, the check judges against it.
using TrustedTime = nettime::TrustedTime;

// The NTP clients that will run at boot: enabled and not masked, or, on a machine without
// systemd units, configured. Names as in platform::NtpClient ("chrony").
std::vector<std::string> ntp_clients_in_use(const platform::NtpFacts& ntp);

// The whole judgement, a pure function of what was gathered (tests call it directly).
// Findings: clock.before_build, clock.skew or clock.timezone_mismatch (only with `trusted`),
// clock.unsynchronized, clock.ntp_not_configured, clock.timezone_invalid, clock.rtc_local_time.
// Facts: everything in `facts` as JSON with RFC 3339 UTC timestamps, "build_date", and
// "trusted_time" (null when there is none: the skew was then not judged).
// `tolerance`: the skew allowed before clock.skew (a policy's clock.tolerance_seconds).
CheckResult evaluate_clock(const platform::ClockFacts& facts, const BuildInfo& build,
                           const std::optional<TrustedTime>& trusted = std::nullopt,
                           std::chrono::seconds tolerance = kClockSkewWarn);

class ClockCheck : public Check {
 public:
  std::string_view id() const override { return "clock"; }
  std::string_view title() const override { return "Clock and timezone"; }
  CheckResult run(const Context& ctx) const override;
};

}  // namespace tlsdoctor::checks
